import "server-only";
import { findPasswordHashByEmail } from "@/db/queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { clearThrottle, getBlockedUntil, recordThrottledFailure, type ThrottleRule } from "@/db/throttle-queries";
import { tooManyAttemptsMessage } from "@/lib/format-time";
import { verifyPassword } from "./password";

const ACCOUNT_RULE: ThrottleRule = { limit: 10, windowMs: 15 * 60_000, blockMs: 15 * 60_000 };
const IP_RULE: ThrottleRule = { limit: 100, windowMs: 15 * 60_000, blockMs: 15 * 60_000 };

export const WRONG_PASSWORD_MESSAGE = "Incorrect email or password.";

export type PasswordStepOutcome =
  | { ok: true; userId: number; secondFactorRequired: boolean }
  | { ok: false; message: string };

/**
 * Step 1 of signing in. While an account is locked (too many wrong passwords or second
 * factors) the answer is the same whether or not the password was right.
 */
export async function checkPasswordStep(email: string, password: string, ip: string, now = Date.now()): Promise<PasswordStepOutcome> {
  const accountKey = `account:${email}`;
  const ipKey = `ip:${ip}`;
  const throttledUntil = Math.max(getBlockedUntil(accountKey, now) ?? 0, getBlockedUntil(ipKey, now) ?? 0);
  if (throttledUntil > now) return { ok: false, message: tooManyAttemptsMessage(throttledUntil) };

  const account = findPasswordHashByEmail(email);
  const passwordMatches = await verifyPassword(account?.passwordHash, password);
  const secondFactor = account ? getSecondFactorRecord(account.id) : undefined;
  const secondFactorLockedUntil = secondFactor?.lockedUntil && secondFactor.lockedUntil > now ? secondFactor.lockedUntil : null;

  if (!account || !passwordMatches) {
    const blockedUntil = Math.max(
      recordThrottledFailure(accountKey, ACCOUNT_RULE, now) ?? 0,
      recordThrottledFailure(ipKey, IP_RULE, now) ?? 0,
      secondFactorLockedUntil ?? 0,
    );
    return { ok: false, message: blockedUntil > now ? tooManyAttemptsMessage(blockedUntil) : WRONG_PASSWORD_MESSAGE };
  }
  if (secondFactorLockedUntil) return { ok: false, message: tooManyAttemptsMessage(secondFactorLockedUntil) };
  clearThrottle(accountKey);
  return { ok: true, userId: account.id, secondFactorRequired: secondFactor !== undefined };
}
