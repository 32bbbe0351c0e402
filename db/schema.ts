import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "number" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  // Bumped to revoke every session issued before (JWTs carry the version they were issued with).
  sessionVersion: integer("session_version").notNull().default(1),
  createdAt: createdAt(),
});

/** The state between "password accepted" and "session issued". Only a hash of the id is stored. */
export const signInChallenges = sqliteTable(
  "sign_in_challenges",
  {
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "number" }).notNull(),
    consumedAt: integer("consumed_at", { mode: "number" }),
    failedAttempts: integer("failed_attempts").notNull().default(0),
  },
  (table) => [index("sign_in_challenges_user_idx").on(table.userId)],
);

export type User = typeof users.$inferSelect;

/** Two-factor authentication that is on. The secret is AES-256-GCM ciphertext (lib/crypto.ts). */
export const twoFactor = sqliteTable("two_factor", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretEncrypted: text("secret_encrypted").notNull(),
  enabledAt: integer("enabled_at", { mode: "number" }).notNull(),
  // The newest TOTP time step accepted: a code for this step or an older one is refused.
  lastUsedStep: integer("last_used_step").notNull(),
  // Wrong second factors in a row (any sign-in, disable or step-up); 10 lock it for 15 minutes.
  failedAttempts: integer("failed_attempts").notNull().default(0),
  lockedUntil: integer("locked_until", { mode: "number" }),
});

/** A wizard in progress. Becomes a two_factor row only when the backup codes are acknowledged. */
export const twoFactorEnrollments = sqliteTable("two_factor_enrollments", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretEncrypted: text("secret_encrypted").notNull(),
  // "enable": the wizard; "replace": Change authenticator app (the old secret works until verified).
  purpose: text("purpose", { enum: ["enable", "replace"] }).notNull().default("enable"),
  stage: text("stage", { enum: ["scan", "verify", "codes"] }).notNull(),
  createdAt: createdAt(),
  expiresAt: integer("expires_at", { mode: "number" }).notNull(),
  verifiedStep: integer("verified_step"),
  failedAttempts: integer("failed_attempts").notNull().default(0),
});

/** Only HMAC hashes are stored. Pending codes belong to an enrolment or a regeneration not yet acknowledged. */
export const backupCodes = sqliteTable(
  "backup_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    pending: integer("pending", { mode: "boolean" }).notNull(),
    createdAt: createdAt(),
    usedAt: integer("used_at", { mode: "number" }),
  },
  (table) => [uniqueIndex("backup_codes_user_hash_idx").on(table.userId, table.codeHash)],
);

/** Wrong-password counters per account and per IP, in the database so every server process shares them. */
export const authThrottles = sqliteTable("auth_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: integer("window_started_at", { mode: "number" }).notNull(),
  blockedUntil: integer("blocked_until", { mode: "number" }),
});

/** Security keys and passkeys registered as a second factor (WebAuthn). */
export const securityKeys = sqliteTable(
  "security_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Unique across all users: a credential can be registered once.
    credentialId: text("credential_id").notNull().unique(),
    publicKey: text("public_key").notNull(),
    counter: integer("counter").notNull(),
    transports: text("transports"),
    name: text("name").notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "number" }),
  },
  (table) => [index("security_keys_user_idx").on(table.userId)],
);

/** WebAuthn challenges: random, single use, bound to the user (and, at sign-in, to the sign-in challenge). */
export const webauthnChallenges = sqliteTable("webauthn_challenges", {
  challenge: text("challenge").primaryKey(),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  purpose: text("purpose", { enum: ["register", "sign-in"] }).notNull(),
  signInChallengeHash: text("sign_in_challenge_hash"),
  expiresAt: integer("expires_at", { mode: "number" }).notNull(),
  consumedAt: integer("consumed_at", { mode: "number" }),
});

export const SECURITY_EVENT_KINDS = [
  "sign-in",
  "second-factor-failed",
  "second-factor-locked",
  "two-factor-enabled",
  "two-factor-disabled",
  "two-factor-reset",
  "backup-codes-regenerated",
  "backup-code-used",
  "authenticator-changed",
  "security-key-added",
  "security-key-removed",
  "password-changed",
  "sessions-revoked",
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/** Who did what to an account's security, when and from where. Never holds a secret. */
export const securityEvents = sqliteTable(
  "security_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: SECURITY_EVENT_KINDS }).notNull(),
    detail: text("detail"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (table) => [index("security_events_user_time_idx").on(table.userId, table.createdAt)],
);

/** Email waiting to be sent: written in the transaction of the change, sent after the commit, retried. */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
    sentAt: integer("sent_at", { mode: "number" }),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "number" }).notNull(),
    lastError: text("last_error"),
  },
  (table) => [index("email_outbox_due_idx").on(table.sentAt, table.nextAttemptAt)],
);
