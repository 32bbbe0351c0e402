import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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

