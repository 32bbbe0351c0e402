import path from "node:path";
import { z } from "zod";
import { loadOrCreateDevSecrets } from "./dev-secrets";

const required = "is required in production (make one with: openssl rand -base64 32)";

// Strictly 32 bytes of base64 (or base64url): Node's decoder skips characters it does not know,
// so "43 letters a" would otherwise pass as a key.
const base64Key = z
  .string({ error: required })
  .regex(/^(?:[A-Za-z0-9+/]{43}=?|[A-Za-z0-9_-]{43})$/, "must be 32 random bytes, base64-encoded (openssl rand -base64 32)");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1).optional(),
  NEXTAUTH_SECRET: z.string({ error: required }).min(32, "must be at least 32 characters (openssl rand -base64 32)"),
  NEXTAUTH_URL: z.url().optional(),
  ENCRYPTION_KEY: base64Key,
  APP_NAME: z.string().trim().min(1).max(64).default("Acme"),
  // WebAuthn relying party; both default to NEXTAUTH_URL's host and origin.
  WEBAUTHN_RP_ID: z.string().trim().min(1).optional(),
  WEBAUTHN_ORIGIN: z.url().optional(),
  // Email: SMTP when set (smtp://user:pass@host:587); otherwise .eml files in EMAIL_OUTBOX_DIR.
  SMTP_URL: z.string().trim().min(1).optional(),
  EMAIL_FROM: z.string().trim().min(3).optional(),
  EMAIL_OUTBOX_DIR: z.string().trim().min(1).optional(),
  // How many reverse proxies in front of the app append to X-Forwarded-For (0: clients connect directly).
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
})
  .superRefine((value, context) => {
    if (value.NODE_ENV !== "production") return;
    // Without it, origins, cookies and the security-key relying party would follow the Host header.
    if (!value.NEXTAUTH_URL) {
      context.addIssue({ code: "custom", path: ["NEXTAUTH_URL"], message: "is required in production: the app's public address, like https://app.example.com" });
    }
    // Security notifications must go somewhere the operator chose, not silently into a folder.
    if (!value.SMTP_URL && !value.EMAIL_OUTBOX_DIR) {
      context.addIssue({ code: "custom", path: ["SMTP_URL"], message: "is required in production (or set EMAIL_OUTBOX_DIR to keep the emails as .eml files)" });
    }
  });

export type Env = z.infer<typeof schema> & { databasePath: string };

let cached: Env | undefined;

export class EnvError extends Error {}

/** Parsed and checked environment. Throws an EnvError with every problem listed. */
export function env(): Env {
  if (cached) return cached;
  const source: Record<string, string | undefined> = { ...process.env };
  if (source.NODE_ENV !== "production" && (!source.NEXTAUTH_SECRET || !source.ENCRYPTION_KEY)) {
    const dev = loadOrCreateDevSecrets();
    source.NEXTAUTH_SECRET ||= dev.NEXTAUTH_SECRET;
    source.ENCRYPTION_KEY ||= dev.ENCRYPTION_KEY;
  }
  cached = parseEnv(source);
  return cached;
}

/** The checks alone, for a given set of variables. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(
      `Invalid environment configuration:\n${problems.join("\n")}\nSee .env.example for every variable.`,
    );
  }
  return { ...parsed.data, databasePath: resolveDatabasePath(parsed.data.DATABASE_URL) };
}

/** Accepts a plain path or a `file:` URL; relative paths are relative to the project folder. */
export function resolveDatabasePath(databaseUrl: string | undefined): string {
  if (!databaseUrl) return path.join(process.cwd(), "data", "app.db");
  const filePath = databaseUrl.startsWith("file:") ? databaseUrl.slice("file:".length).replace(/^\/\/(?=\/)/, "") : databaseUrl;
  return path.isAbsolute(filePath) ? filePath : path.join(/* turbopackIgnore: true */ process.cwd(), filePath);
}

/** True when cookies must carry the Secure flag (the app is served over https). */
export function secureCookies(): boolean {
  return env().NEXTAUTH_URL?.startsWith("https://") ?? false;
}
