import "server-only";
import { eq, sql } from "drizzle-orm";
import { db } from "./index";
import { preparedValue } from "./prepared";
import { signInChallenges, users } from "./schema";
import { sqlIncrement } from "./sql-helpers";
import { immediateTransaction, type Executor, type Transaction } from "./transaction";

export type SessionUser = { id: number; sessionVersion: number };

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "SQLITE_CONSTRAINT_UNIQUE";
}

export function createUser(email: string, passwordHash: string, now: number): { id: number } | "email-taken" {
  try {
    const [row] = db().insert(users).values({ email, passwordHash, createdAt: now }).returning({ id: users.id }).all();
    if (!row) throw new Error("insert returned no row");
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) return "email-taken";
    throw error;
  }
}

export function findPasswordHashByEmail(email: string): { id: number; passwordHash: string } | undefined {
  return db()
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email))
    .get();
}

/** Read on every request that checks a session. */
export function getSessionVersion(userId: number): number | undefined {
  const read = preparedValue<number>(db(), "getSessionVersion", (database) =>
    database.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, sql.placeholder("userId"))),
  );
  return read(userId);
}

export function getAccount(userId: number): { id: number; email: string; createdAt: number } | undefined {
  return db()
    .select({ id: users.id, email: users.email, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
}

export function getPasswordHash(userId: number): string | undefined {
  return db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get()?.passwordHash;
}

/**
 * Every session issued before this stops working (the caller re-issues the current one), and so
 * does every half-finished sign-in: a password typed before the change cannot finish one after it.
 */
export function bumpSessionVersion(userId: number, executor: Executor = db()): void {
  executor.update(users).set({ sessionVersion: sqlIncrement(users.sessionVersion) }).where(eq(users.id, userId)).run();
  executor.delete(signInChallenges).where(eq(signInChallenges.userId, userId)).run();
}

export function findUserIdByEmail(email: string): number | undefined {
  return db().select({ id: users.id }).from(users).where(eq(users.email, email)).get()?.id;
}

/** New password hash; every other session ends (the caller re-issues this one). */
export function changePasswordHash(userId: number, passwordHash: string, audit: (tx: Transaction) => void): void {
  immediateTransaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    bumpSessionVersion(userId, tx);
    audit(tx);
  });
}
