import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db } from "./index";
import { prepared } from "./prepared";
import { backupCodes, twoFactor } from "./schema";
import type { Executor } from "./transaction";

export type SecondFactorRecord = {
  secretEncrypted: string;
  lastUsedStep: number;
  lockedUntil: number | null;
};

export function getSecondFactorRecord(userId: number, executor: Executor = db()): SecondFactorRecord | undefined {
  return executor
    .select({
      secretEncrypted: twoFactor.secretEncrypted,
      lastUsedStep: twoFactor.lastUsedStep,
      lockedUntil: twoFactor.lockedUntil,
    })
    .from(twoFactor)
    .where(eq(twoFactor.userId, userId))
    .get();
}

/** Accepts a TOTP step only if it is newer than every step accepted before (no replay). */
export function advanceLastUsedStep(userId: number, step: number, executor: Executor = db()): boolean {
  const result = executor
    .update(twoFactor)
    .set({ lastUsedStep: step, failedAttempts: 0 })
    .where(and(eq(twoFactor.userId, userId), sql`${twoFactor.lastUsedStep} < ${step}`))
    .run();
  return result.changes === 1;
}

/**
 * Single use by construction: only the first UPDATE of an unused code changes a row.
 * Prepared on the connection, so it also runs inside the caller's transaction.
 */
export function consumeBackupCode(userId: number, codeHash: string, now: number): boolean {
  const statement = prepared(db(), "consumeBackupCode", (database) =>
    database
      .update(backupCodes)
      .set({ usedAt: sql`${sql.placeholder("now")}` })
      .where(
        and(
          eq(backupCodes.userId, sql.placeholder("userId")),
          eq(backupCodes.codeHash, sql.placeholder("codeHash")),
          eq(backupCodes.pending, false),
          isNull(backupCodes.usedAt),
        ),
      )
      .prepare(),
  );
  const result = statement.run({ userId, codeHash, now });
  if (result.changes === 1) resetSecondFactorFailures(userId);
  return result.changes === 1;
}

/** On every successful second factor: prepared, like the consume it follows. */
export function resetSecondFactorFailures(userId: number): void {
  prepared(db(), "resetSecondFactorFailures", (database) =>
    database
      .update(twoFactor)
      .set({ failedAttempts: 0 })
      .where(and(eq(twoFactor.userId, sql.placeholder("userId")), sql`${twoFactor.failedAttempts} <> 0`))
      .prepare(),
  ).run({ userId });
}

export function isUsedBackupCode(userId: number, codeHash: string, executor: Executor = db()): boolean {
  const row = executor
    .select({ usedAt: backupCodes.usedAt })
    .from(backupCodes)
    .where(and(eq(backupCodes.userId, userId), eq(backupCodes.codeHash, codeHash), eq(backupCodes.pending, false)))
    .get();
  return row?.usedAt != null;
}

/** Counts one wrong second factor; the one that reaches the limit starts the lock (and restarts the count). */
export function recordSecondFactorFailure(
  userId: number,
  now: number,
  limit: number,
  lockMs: number,
  executor: Executor = db(),
): { lockedUntil: number | null } {
  const row = executor
    .update(twoFactor)
    .set({
      failedAttempts: sql`CASE WHEN ${twoFactor.failedAttempts} + 1 >= ${limit} THEN 0 ELSE ${twoFactor.failedAttempts} + 1 END`,
      lockedUntil: sql`CASE WHEN ${twoFactor.failedAttempts} + 1 >= ${limit} THEN ${now + lockMs} ELSE ${twoFactor.lockedUntil} END`,
    })
    .where(eq(twoFactor.userId, userId))
    .returning({ lockedUntil: twoFactor.lockedUntil })
    .get();
  const lockedUntil = row?.lockedUntil ?? null;
  return { lockedUntil: lockedUntil !== null && lockedUntil > now ? lockedUntil : null };
}

