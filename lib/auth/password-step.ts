import "server-only";
import { findPasswordHashByEmail } from "@/db/queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { hasSecurityKeys } from "@/db/security-key-queries";
import { clearThrottle, getBlockedUntil, refundAttempt, reserveAttempt, type ThrottleRule } from "@/db/throttle-queries";
import { tooManyAttemptsMessage } from "@/lib/format-time";
import { ServerBusyError } from "./hash-limiter";
import { verifyPassword } from "./password";

const ACCOUNT_RULE: ThrottleRule = { limit: 10, windowMs: 15 * 60_000, blockMs: 15 * 60_000 };
const IP_RULE: ThrottleRule = { limit: 100, windowMs: 15 * 60_000, blockMs: 15 * 60_000 };

export const WRONG_PASSWORD_MESSAGE = "Incorrect email or password.";

export type PasswordStepOutcome =
  | { ok: true; userId: number; secondFactorRequired: boolean; hasSecurityKey: boolean }
  // retryAfterMs is set when the caller should answer 429 (locked, throttled or busy).
  | { ok: false; message: string; retryAfterMs?: number };

const BUSY_MESSAGE = "Many people are signing in right now. Please try again in a moment.";

function locked(until: number, now: number): PasswordStepOutcome {
  return { ok: false, message: tooManyAttemptsMessage(until), retryAfterMs: until - now };
}

/**
 * Step 1 of signing in. While an account is locked (too many wrong passwords or second
 * factors) the answer is the same whether or not the password was right.
 */
export async function checkPasswordStep(email: string, password: string, ip: string, now = Date.now()): Promise<PasswordStepOutcome> {
  const accountKey = `account:${email}`;
  const ipKey = `ip:${ip}`;
  const throttledUntil = Math.max(getBlockedUntil(accountKey, now) ?? 0, getBlockedUntil(ipKey, now) ?? 0);
  if (throttledUntil > now) return locked(throttledUntil, now);
  // Counted before the (slow) hash, so guesses already in flight cannot exceed the limit.
  const accountAttempts = reserveAttempt(accountKey, ACCOUNT_RULE, now);
  const ipAttempts = reserveAttempt(ipKey, IP_RULE, now);
  if (accountAttempts > ACCOUNT_RULE.limit || ipAttempts > IP_RULE.limit) {
    return locked(Math.max(getBlockedUntil(accountKey, now) ?? 0, getBlockedUntil(ipKey, now) ?? 0, now + 1000), now);
  }

  const account = findPasswordHashByEmail(email);
  let passwordMatches: boolean;
  try {
    passwordMatches = await verifyPassword(account?.passwordHash, password);
  } catch (error) {
    if (error instanceof ServerBusyError) {
      refundAttempt(accountKey);
      refundAttempt(ipKey);
      return { ok: false, message: BUSY_MESSAGE, retryAfterMs: 1000 };
    }
    throw error;
  }
  const secondFactor = account ? getSecondFactorRecord(account.id) : undefined;
  const secondFactorLockedUntil = secondFactor?.lockedUntil && secondFactor.lockedUntil > now ? secondFactor.lockedUntil : null;

  if (!account || !passwordMatches) {
    const blockedUntil = Math.max(getBlockedUntil(accountKey, now) ?? 0, getBlockedUntil(ipKey, now) ?? 0, secondFactorLockedUntil ?? 0);
    return blockedUntil > now ? locked(blockedUntil, now) : { ok: false, message: WRONG_PASSWORD_MESSAGE };
  }
  if (secondFactorLockedUntil) return locked(secondFactorLockedUntil, now);
  clearThrottle(accountKey);
  refundAttempt(ipKey);
  return {
    ok: true,
    userId: account.id,
    secondFactorRequired: secondFactor !== undefined,
    hasSecurityKey: secondFactor !== undefined && hasSecurityKeys(account.id),
  };
}
