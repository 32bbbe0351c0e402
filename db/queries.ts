import "server-only";
import { and, eq, gt, isNull, lt, or, isNotNull } from "drizzle-orm";
import { db } from "./index";
import { signInChallenges, users } from "./schema";

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

export function getSessionVersion(userId: number): number | undefined {
  return db().select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, userId)).get()
    ?.sessionVersion;
}

export function getAccount(userId: number): { id: number; email: string; createdAt: number } | undefined {
  return db()
    .select({ id: users.id, email: users.email, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
}

export function createSignInChallenge(idHash: string, userId: number, now: number, expiresAt: number): void {
  db().transaction((tx) => {
    // Old challenges of this user are no longer needed: one sign-in in progress per browser is plenty.
    tx.delete(signInChallenges)
      .where(and(eq(signInChallenges.userId, userId), or(lt(signInChallenges.expiresAt, now), isNotNull(signInChallenges.consumedAt))))
      .run();
    tx.insert(signInChallenges).values({ idHash, userId, createdAt: now, expiresAt }).run();
  });
}

/** Marks a live challenge used and returns its user: at most one caller ever gets a row back. */
export function consumeSignInChallenge(idHash: string, now: number): SessionUser | null {
  const consumed = db()
    .update(signInChallenges)
    .set({ consumedAt: now })
    .where(
      and(eq(signInChallenges.idHash, idHash), isNull(signInChallenges.consumedAt), gt(signInChallenges.expiresAt, now)),
    )
    .returning({ userId: signInChallenges.userId })
    .get();
  if (!consumed) return null;
  const sessionVersion = getSessionVersion(consumed.userId);
  return sessionVersion === undefined ? null : { id: consumed.userId, sessionVersion };
}

export function getPasswordHash(userId: number): string | undefined {
  return db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get()?.passwordHash;
}
