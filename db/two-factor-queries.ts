import "server-only";
import { and, count, eq, gt, inArray, isNull } from "drizzle-orm";
import { db } from "./index";
import { backupCodes, securityKeys, twoFactor, twoFactorEnrollments, webauthnChallenges } from "./schema";
import { sqlIncrement } from "./sql-helpers";
import { bumpSessionVersion } from "./queries";
import { immediateTransaction, type Transaction } from "./transaction";

/** Runs inside the change's transaction: the security event and its email commit with it. */
export type Audit = (tx: Transaction) => void;

export type EnrollmentStage = "scan" | "verify" | "codes";

export type TwoFactorStatus = { enabledAt: number; backupCodesLeft: number } | null;

export function getTwoFactorStatus(userId: number): TwoFactorStatus {
  const row = db().select({ enabledAt: twoFactor.enabledAt }).from(twoFactor).where(eq(twoFactor.userId, userId)).get();
  if (!row) return null;
  return { enabledAt: row.enabledAt, backupCodesLeft: countUsableBackupCodes(userId) };
}

export function countUsableBackupCodes(userId: number): number {
  return (
    db()
      .select({ left: count() })
      .from(backupCodes)
      .where(and(eq(backupCodes.userId, userId), eq(backupCodes.pending, false), isNull(backupCodes.usedAt)))
      .get()?.left ?? 0
  );
}

export type EnrollmentPurpose = "enable" | "replace";

export function getEnrollment(userId: number, now: number, purpose: EnrollmentPurpose = "enable") {
  return db()
    .select({
      secretEncrypted: twoFactorEnrollments.secretEncrypted,
      stage: twoFactorEnrollments.stage,
      expiresAt: twoFactorEnrollments.expiresAt,
    })
    .from(twoFactorEnrollments)
    .where(
      and(
        eq(twoFactorEnrollments.userId, userId),
        eq(twoFactorEnrollments.purpose, purpose),
        gt(twoFactorEnrollments.expiresAt, now),
      ),
    )
    .get();
}

/** A new wizard run: any earlier pending secret and pending codes are thrown away. */
export function startEnrollment(userId: number, secretEncrypted: string, now: number, expiresAt: number): boolean {
  return immediateTransaction((tx) => {
    if (tx.select({ userId: twoFactor.userId }).from(twoFactor).where(eq(twoFactor.userId, userId)).get()) return false;
    tx.delete(backupCodes).where(and(eq(backupCodes.userId, userId), eq(backupCodes.pending, true))).run();
    tx.delete(twoFactorEnrollments).where(eq(twoFactorEnrollments.userId, userId)).run();
    tx.insert(twoFactorEnrollments).values({ userId, secretEncrypted, stage: "scan", createdAt: now, expiresAt }).run();
    return true;
  });
}

export function moveEnrollmentStage(userId: number, from: EnrollmentStage, to: EnrollmentStage, now: number): boolean {
  const result = db()
    .update(twoFactorEnrollments)
    .set({ stage: to })
    .where(
      and(
        eq(twoFactorEnrollments.userId, userId),
        eq(twoFactorEnrollments.purpose, "enable"),
        eq(twoFactorEnrollments.stage, from),
        gt(twoFactorEnrollments.expiresAt, now),
      ),
    )
    .run();
  return result.changes === 1;
}

/** Counts a wrong code; returns the attempts so far (the wizard restarts after too many). */
export function recordEnrollmentFailure(userId: number): number {
  const row = db()
    .update(twoFactorEnrollments)
    .set({ failedAttempts: sqlIncrement(twoFactorEnrollments.failedAttempts) })
    .where(eq(twoFactorEnrollments.userId, userId))
    .returning({ failedAttempts: twoFactorEnrollments.failedAttempts })
    .get();
  return row?.failedAttempts ?? 0;
}

export function cancelEnrollment(userId: number): void {
  immediateTransaction((tx) => {
    tx.delete(backupCodes).where(and(eq(backupCodes.userId, userId), eq(backupCodes.pending, true))).run();
    tx.delete(twoFactorEnrollments).where(eq(twoFactorEnrollments.userId, userId)).run();
  });
}

/**
 * A code matched this pending secret at this step. Confirming names the secret, so a new secret
 * started meanwhile (another tab) can never be the one that gets turned on without a code.
 */
export type VerifiedCode = { secretEncrypted: string; step: number };

/**
 * The code matched: in one transaction, record the accepted step and store the hashes of a
 * fresh set of pending backup codes. Only the first of two racing requests gets `true`.
 */
export function confirmEnrollment(
  userId: number,
  verified: VerifiedCode,
  codeHashes: string[],
  now: number,
  expiresAt: number,
): boolean {
  return immediateTransaction((tx) => {
    const moved = tx
      .update(twoFactorEnrollments)
      .set({ stage: "codes", verifiedStep: verified.step, expiresAt })
      .where(
        and(
          eq(twoFactorEnrollments.userId, userId),
          eq(twoFactorEnrollments.secretEncrypted, verified.secretEncrypted),
          eq(twoFactorEnrollments.purpose, "enable"),
          inArray(twoFactorEnrollments.stage, ["scan", "verify"]),
          gt(twoFactorEnrollments.expiresAt, now),
        ),
      )
      .run();
    if (moved.changes !== 1) return false;
    replacePendingCodes(tx, userId, codeHashes, now);
    return true;
  });
}

/** For a reload of the backup-codes step: the old pending set was shown once and is replaced. */
export function renewPendingEnrollmentCodes(userId: number, codeHashes: string[], now: number): boolean {
  return immediateTransaction((tx) => {
    const enrollment = tx
      .select({ stage: twoFactorEnrollments.stage })
      .from(twoFactorEnrollments)
      .where(and(eq(twoFactorEnrollments.userId, userId), gt(twoFactorEnrollments.expiresAt, now)))
      .get();
    if (enrollment?.stage !== "codes") return false;
    replacePendingCodes(tx, userId, codeHashes, now);
    return true;
  });
}

/** Backup codes acknowledged: two-factor is on from here, all in one transaction. */
export function completeEnrollment(userId: number, now: number, audit?: Audit): boolean {
  return immediateTransaction((tx) => {
    const enrollment = tx
      .select({ secretEncrypted: twoFactorEnrollments.secretEncrypted, verifiedStep: twoFactorEnrollments.verifiedStep })
      .from(twoFactorEnrollments)
      .where(
        and(
          eq(twoFactorEnrollments.userId, userId),
          eq(twoFactorEnrollments.purpose, "enable"),
          eq(twoFactorEnrollments.stage, "codes"),
          gt(twoFactorEnrollments.expiresAt, now),
        ),
      )
      .get();
    if (!enrollment || enrollment.verifiedStep === null) return false;
    tx.insert(twoFactor)
      .values({ userId, secretEncrypted: enrollment.secretEncrypted, enabledAt: now, lastUsedStep: enrollment.verifiedStep })
      .run();
    tx.delete(backupCodes).where(and(eq(backupCodes.userId, userId), eq(backupCodes.pending, false))).run();
    tx.update(backupCodes).set({ pending: false }).where(eq(backupCodes.userId, userId)).run();
    tx.delete(twoFactorEnrollments).where(eq(twoFactorEnrollments.userId, userId)).run();
    bumpSessionVersion(userId, tx);
    audit?.(tx);
    return true;
  });
}

/** Disable: the secret, every backup code, every security key and any setup in progress, in one transaction. */
export function disableTwoFactor(userId: number, audit?: Audit): boolean {
  return immediateTransaction((tx) => {
    const removed = tx.delete(twoFactor).where(eq(twoFactor.userId, userId)).run();
    if (removed.changes !== 1) return false;
    tx.delete(backupCodes).where(eq(backupCodes.userId, userId)).run();
    tx.delete(twoFactorEnrollments).where(eq(twoFactorEnrollments.userId, userId)).run();
    tx.delete(securityKeys).where(eq(securityKeys.userId, userId)).run();
    tx.delete(webauthnChallenges).where(eq(webauthnChallenges.userId, userId)).run();
    bumpSessionVersion(userId, tx);
    audit?.(tx);
    return true;
  });
}

/** A new set replaces every old code at once (used or not). */
export function replaceBackupCodes(userId: number, codeHashes: string[], now: number, audit?: Audit): boolean {
  return immediateTransaction((tx) => {
    if (!tx.select({ userId: twoFactor.userId }).from(twoFactor).where(eq(twoFactor.userId, userId)).get()) return false;
    tx.delete(backupCodes).where(eq(backupCodes.userId, userId)).run();
    tx.insert(backupCodes)
      .values(codeHashes.map((codeHash) => ({ userId, codeHash, pending: false, createdAt: now })))
      .run();
    bumpSessionVersion(userId, tx);
    audit?.(tx);
    return true;
  });
}

/** Change authenticator app, part 1: a pending secret beside the one in use. */
export function startAuthenticatorChange(userId: number, secretEncrypted: string, now: number, expiresAt: number): boolean {
  return immediateTransaction((tx) => {
    if (!tx.select({ userId: twoFactor.userId }).from(twoFactor).where(eq(twoFactor.userId, userId)).get()) return false;
    tx.delete(twoFactorEnrollments).where(eq(twoFactorEnrollments.userId, userId)).run();
    tx.insert(twoFactorEnrollments)
      .values({ userId, secretEncrypted, purpose: "replace", stage: "verify", createdAt: now, expiresAt })
      .run();
    return true;
  });
}

/** Part 2, after a code from the new app matched: the new secret replaces the old at once. */
export function completeAuthenticatorChange(userId: number, verified: VerifiedCode, now: number, audit?: Audit): boolean {
  return immediateTransaction((tx) => {
    const pending = tx
      .select({ userId: twoFactorEnrollments.userId })
      .from(twoFactorEnrollments)
      .where(
        and(
          eq(twoFactorEnrollments.userId, userId),
          eq(twoFactorEnrollments.secretEncrypted, verified.secretEncrypted),
          eq(twoFactorEnrollments.purpose, "replace"),
          gt(twoFactorEnrollments.expiresAt, now),
        ),
      )
      .get();
    if (!pending) return false;
    const updated = tx
      .update(twoFactor)
      .set({ secretEncrypted: verified.secretEncrypted, lastUsedStep: verified.step, failedAttempts: 0 })
      .where(eq(twoFactor.userId, userId))
      .run();
    if (updated.changes !== 1) return false;
    tx.delete(twoFactorEnrollments).where(eq(twoFactorEnrollments.userId, userId)).run();
    bumpSessionVersion(userId, tx);
    audit?.(tx);
    return true;
  });
}


function replacePendingCodes(tx: Transaction, userId: number, codeHashes: string[], now: number): void {
  tx.delete(backupCodes).where(and(eq(backupCodes.userId, userId), eq(backupCodes.pending, true))).run();
  tx.insert(backupCodes)
    .values(codeHashes.map((codeHash) => ({ userId, codeHash, pending: true, createdAt: now })))
    .run();
}
