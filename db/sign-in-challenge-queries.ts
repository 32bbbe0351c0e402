import "server-only";
import { and, eq, gt, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { db } from "./index";
import { signInChallenges } from "./schema";
import { sqlIncrement } from "./sql-helpers";
import { immediateTransaction, type Executor } from "./transaction";

export function createSignInChallenge(idHash: string, userId: number, now: number, expiresAt: number): void {
  immediateTransaction((tx) => {
    // Old challenges of this user are no longer needed: one sign-in in progress per browser is plenty.
    tx.delete(signInChallenges)
      .where(and(eq(signInChallenges.userId, userId), or(lt(signInChallenges.expiresAt, now), isNotNull(signInChallenges.consumedAt))))
      .run();
    tx.insert(signInChallenges).values({ idHash, userId, createdAt: now, expiresAt }).run();
  });
}

export type LiveChallenge = { userId: number; failedAttempts: number };

export function getLiveChallenge(idHash: string, now: number, executor: Executor = db()): LiveChallenge | undefined {
  return executor
    .select({ userId: signInChallenges.userId, failedAttempts: signInChallenges.failedAttempts })
    .from(signInChallenges)
    .where(
      and(eq(signInChallenges.idHash, idHash), isNull(signInChallenges.consumedAt), gt(signInChallenges.expiresAt, now)),
    )
    .get();
}

/** One more wrong code on this challenge; at the limit the challenge is cancelled (consumed). */
export function recordChallengeFailure(idHash: string, now: number, limit: number, executor: Executor = db()): boolean {
  const row = executor
    .update(signInChallenges)
    .set({
      failedAttempts: sqlIncrement(signInChallenges.failedAttempts),
      consumedAt: sql`CASE WHEN ${signInChallenges.failedAttempts} + 1 >= ${limit} THEN ${now} ELSE NULL END`,
    })
    .where(and(eq(signInChallenges.idHash, idHash), isNull(signInChallenges.consumedAt)))
    .returning({ consumedAt: signInChallenges.consumedAt })
    .get();
  return row?.consumedAt != null;
}

export function consumeChallenge(idHash: string, now: number, executor: Executor = db()): boolean {
  const result = executor
    .update(signInChallenges)
    .set({ consumedAt: now })
    .where(and(eq(signInChallenges.idHash, idHash), isNull(signInChallenges.consumedAt), gt(signInChallenges.expiresAt, now)))
    .run();
  return result.changes === 1;
}
