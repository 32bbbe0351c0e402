import "server-only";
import {
  advanceLastUsedStep,
  consumeBackupCode,
  getSecondFactorRecord,
  isUsedBackupCode,
  recordSecondFactorFailure,
  resetSecondFactorFailures,
  type SecondFactorRecord,
} from "@/db/second-factor-queries";
import { advanceKeyCounter, consumeWebauthnChallenge } from "@/db/security-key-queries";
import { immediateTransaction, type Transaction } from "@/db/transaction";
import { normalizeBackupCode } from "@/lib/backup-codes";
import { countUsableBackupCodes } from "@/db/two-factor-queries";
import { formatClockTime, tooManyAttemptsMessage } from "@/lib/format-time";
import { NO_REQUEST_CONTEXT, recordSecurityEvent, type RequestContext } from "@/lib/security-events";
import { verifyTotp } from "@/lib/totp";
import type { VerifiedAssertion } from "@/lib/webauthn/assertion";
import { WRONG_CODE_MESSAGE } from "@/lib/two-factor/enrollment-code";
import { backupCodeHash, openTotpSecret } from "@/lib/two-factor/secrets";

export const SECOND_FACTOR_FAILURE_LIMIT = 10;
export const SECOND_FACTOR_LOCK_MS = 15 * 60 * 1000;

export type SecondFactorMethod = "totp" | "backup" | "webauthn";
export type SecondFactorInput =
  | { method: "totp" | "backup"; code: string }
  // A security key's assertion, already checked for signature, origin and owner (lib/webauthn/assertion.ts).
  | { method: "webauthn"; assertion: VerifiedAssertion };

export type SecondFactorOutcome =
  | { ok: true; method: SecondFactorMethod }
  // counted: the attempt counts against the limits (malformed input cannot be right, so it does not).
  | { ok: false; message: string; counted: boolean; lockedUntil?: number };

const fail = (message: string, counted = true): SecondFactorOutcome => ({ ok: false, message, counted });

/**
 * THE second-factor check: sign-in, disabling and every sudo step call this and nothing else.
 * Runs inside the caller's immediate transaction, so the lock, the single use of a backup code
 * and the no-replay rule for TOTP steps are exact even across server processes.
 */
export function checkSecondFactor(
  tx: Transaction,
  userId: number,
  input: SecondFactorInput,
  now: number,
  context: RequestContext = NO_REQUEST_CONTEXT,
  // The caller's own read of the record in this transaction, when it already made one.
  record: SecondFactorRecord | undefined = getSecondFactorRecord(userId, tx),
): SecondFactorOutcome {
  if (!record) return fail("Two-factor authentication is not on for this account.", false);
  if (record.lockedUntil !== null && record.lockedUntil > now) {
    return { ok: false, message: tooManyAttemptsMessage(record.lockedUntil), counted: false, lockedUntil: record.lockedUntil };
  }
  const outcome =
    input.method === "webauthn"
      ? checkSecurityKey(tx, userId, input.assertion, now)
      : input.method === "totp"
        ? checkTotp(tx, userId, record, input.code, now)
        : checkBackupCode(tx, userId, input.code, now);
  if (outcome.ok) {
    if (outcome.method === "backup") {
      recordSecurityEvent(userId, "backup-code-used", { backupCodesLeft: countUsableBackupCodes(userId) }, context, tx, now);
    }
    return outcome;
  }
  if (!outcome.counted) return outcome;
  recordSecurityEvent(userId, "second-factor-failed", { method: input.method }, context, tx, now);
  const { lockedUntil } = recordSecondFactorFailure(userId, now, SECOND_FACTOR_FAILURE_LIMIT, SECOND_FACTOR_LOCK_MS, tx);
  if (!lockedUntil) return outcome;
  recordSecurityEvent(userId, "second-factor-locked", { lockedUntil: formatClockTime(lockedUntil) }, context, tx, now);
  return { ok: false, message: tooManyAttemptsMessage(lockedUntil), counted: true, lockedUntil };
}

class NothingToChange extends Error {}

export type ChangeOutcome = { ok: true } | (SecondFactorOutcome & { ok: false }) | { ok: false; nothingToChange: true };

/**
 * A change that needs a current second factor (disable, new backup codes, remove a key): the check
 * and the change are one transaction, so a code is spent only when the change is made, and a
 * crash cannot spend it without making it. `change` returns false when there is nothing to change
 * (already off, no such key): then the code stays unspent. Wrong codes still count.
 */
export function changeWithSecondFactor(
  userId: number,
  input: SecondFactorInput,
  change: (tx: Transaction) => boolean,
  now = Date.now(),
  context: RequestContext = NO_REQUEST_CONTEXT,
): ChangeOutcome {
  try {
    return immediateTransaction((tx): ChangeOutcome => {
      const outcome = checkSecondFactor(tx, userId, input, now, context);
      if (!outcome.ok) return outcome;
      // Thrown to roll the spent code back with the rest; answered below.
      if (!change(tx)) throw new NothingToChange();
      return { ok: true };
    });
  } catch (error) {
    if (error instanceof NothingToChange) return { ok: false, nothingToChange: true };
    throw error;
  }
}

/** For callers outside a sign-in (sudo): the same check in its own transaction. */
export function verifySecondFactor(
  userId: number,
  input: SecondFactorInput,
  now = Date.now(),
  context: RequestContext = NO_REQUEST_CONTEXT,
): SecondFactorOutcome {
  return immediateTransaction((tx) => checkSecondFactor(tx, userId, input, now, context));
}

function checkTotp(tx: Transaction, userId: number, record: SecondFactorRecord, code: string, now: number) {
  const digits = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(digits)) return fail("Enter the 6-digit code from your authenticator app.", false);
  const step = verifyTotp(openTotpSecret(userId, record.secretEncrypted), digits, { atMs: now });
  if (step === null) return fail(WRONG_CODE_MESSAGE);
  if (!advanceLastUsedStep(userId, step, tx)) return fail("That code was already used. Wait for the next code in your app.");
  return { ok: true, method: "totp" } as const;
}

function checkBackupCode(tx: Transaction, userId: number, code: string, now: number) {
  const normalized = normalizeBackupCode(code);
  if (!normalized) return fail("Enter a backup code: 10 letters and digits, like abcde-12345.", false);
  const codeHash = backupCodeHash(normalized);
  if (consumeBackupCode(userId, codeHash, now)) return { ok: true, method: "backup" } as const;
  if (isUsedBackupCode(userId, codeHash, tx)) return fail("This backup code has already been used.");
  return fail("That backup code didn't match. Check it and try again.");
}

function checkSecurityKey(tx: Transaction, userId: number, assertion: VerifiedAssertion, now: number) {
  if (!assertion.ok) return fail(assertion.message, !assertion.malformed);
  if (assertion.userId !== userId) return fail("That security key is not registered to this account.");
  const challenge = { challenge: assertion.challenge, userId, purpose: "sign-in" as const, signInChallengeHash: assertion.signInChallengeHash };
  if (!consumeWebauthnChallenge(challenge, now, tx)) {
    return fail("That security key response was already used or has expired. Try again.");
  }
  if (!advanceKeyCounter(assertion.keyId, assertion.newCounter, now, tx)) {
    return fail("This security key's signature counter went backwards, so it may have been copied. Use your authenticator app.");
  }
  resetSecondFactorFailures(userId);
  return { ok: true, method: "webauthn" } as const;
}
