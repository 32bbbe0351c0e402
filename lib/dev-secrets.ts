import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

type DevSecrets = { NEXTAUTH_SECRET: string; ENCRYPTION_KEY: string };

function secretsFile() {
  return path.join(process.cwd(), "data", "dev-secrets.json");
}

function readSecrets(file: string): DevSecrets {
  return JSON.parse(fs.readFileSync(file, "utf8")) as DevSecrets;
}

/**
 * Development only: makes the auth secret and the encryption key once, into a
 * git-ignored file, so `npm run dev` works on a fresh clone. Never used in production.
 */
export function loadOrCreateDevSecrets(): DevSecrets {
  const file = secretsFile();
  if (fs.existsSync(file)) return readSecrets(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secrets: DevSecrets = {
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
  };
  try {
    // "wx": two processes starting at once (proxy and server) must agree on one file.
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { flag: "wx", mode: 0o600 });
    console.info(`[dev] generated development secrets in ${file}`);
    return secrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readSecrets(file);
    throw error;
  }
}
