import fs from "node:fs";
import path from "node:path";

/** The run's scratch folder (databases, server logs, secrets ledger), made by e2e/security/run.mjs. */
export function runDir(): string {
  const dir = process.env.SEC_RUN_DIR;
  if (!dir || !fs.existsSync(dir)) {
    throw new Error("SEC_RUN_DIR is not set. Run the security suite with `npm run test:security` (it builds, and gives each run a scratch folder).");
  }
  return dir;
}

export function runPath(...parts: string[]): string {
  const file = path.join(runDir(), ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

export type SecretKind = "password" | "totp-secret" | "backup-code" | "session-token" | "challenge-id" | "server-secret";

/** Every secret the suite handled, for the final scan of logs, error pages and databases. */
export function recordSecret(kind: SecretKind, value: string): void {
  if (!value) return;
  fs.appendFileSync(runPath("secrets.jsonl"), JSON.stringify({ kind, value }) + "\n");
}

export function readSecrets(): { kind: SecretKind; value: string }[] {
  const file = path.join(runDir(), "secrets.jsonl");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: SecretKind; value: string });
}
