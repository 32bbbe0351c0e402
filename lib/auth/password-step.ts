import "server-only";
import { findPasswordHashByEmail, getAccount } from "@/db/queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { hasSecurityKeys } from "@/db/security-key-queries";
import { forgiveAttempts, getBlockedUntil, reserveAttempts, type ThrottleRule } from "@/db/throttle-queries";
import { tooManyAttemptsMessage } from "@/lib/format-time";
import { ServerBusyError, withHashSlot } from "./hash-limiter";
import { verifyPasswordInSlot } from "./password";
import { SIGNED_OUT_MESSAGE } from "./session";

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
  const keys = { account: `account:${email}`, ip: `ip:${ip}` };
  const throttledUntil = blockedUntil(keys, now);
  if (throttledUntil > now) return locked(throttledUntil, now);
  try {
    // The hash slot comes first: a busy server answers at once, without touching the database.
    return await withHashSlot(() => checkPasswordInSlot(email, password, keys, now));
  } catch (error) {
    if (error instanceof ServerBusyError) return { ok: false, message: BUSY_MESSAGE, retryAfterMs: 1000 };
    throw error;
  }
}

type ThrottleKeys = { account: string; ip: string };

function blockedUntil(keys: ThrottleKeys, now: number): number {
  return getBlockedUntil([keys.account, keys.ip], now) ?? 0;
}

async function checkPasswordInSlot(email: string, password: string, keys: ThrottleKeys, now: number): Promise<PasswordStepOutcome> {
  // Counted before the (slow) hash, so guesses already in flight cannot exceed the limit.
  const [accountAttempts = 0, ipAttempts = 0] = reserveAttempts(
    [
      { key: keys.account, rule: ACCOUNT_RULE },
      { key: keys.ip, rule: IP_RULE },
    ],
    now,
  );
  if (accountAttempts > ACCOUNT_RULE.limit || ipAttempts > IP_RULE.limit) {
    return locked(Math.max(blockedUntil(keys, now), now + 1000), now);
  }

  const account = findPasswordHashByEmail(email);
  const passwordMatches = await verifyPasswordInSlot(account?.passwordHash, password);
  const secondFactor = account ? getSecondFactorRecord(account.id) : undefined;
  const secondFactorLockedUntil = secondFactor?.lockedUntil && secondFactor.lockedUntil > now ? secondFactor.lockedUntil : null;

  if (!account || !passwordMatches) {
    // Not the second factor's lock: told to a wrong password, it would say the account exists.
    const until = blockedUntil(keys, now);
    return until > now ? locked(until, now) : { ok: false, message: WRONG_PASSWORD_MESSAGE };
  }
  if (secondFactorLockedUntil) return locked(secondFactorLockedUntil, now);
  forgiveAttempts({ clear: keys.account, refund: keys.ip });
  return {
    ok: true,
    userId: account.id,
    secondFactorRequired: secondFactor !== undefined,
    hasSecurityKey: secondFactor !== undefined && hasSecurityKeys(account.id),
  };
}

export type PasswordAgainOutcome = { ok: true } | { ok: false; message: string; wrongPassword: boolean };

/**
 * A signed-in user types their password again ("confirm it's you", a password change): the same
 * check and the same per-account and per-address limits as signing in, so a stolen session
 * cookie does not buy unlimited guesses.
 */
export async function checkPasswordAgain(userId: number, password: string, ip: string, now = Date.now()): Promise<PasswordAgainOutcome> {
  const account = getAccount(userId);
  if (!account) return { ok: false, message: SIGNED_OUT_MESSAGE, wrongPassword: false };
  const outcome = await checkPasswordStep(account.email, password, ip, now);
  if (outcome.ok) return { ok: true };
  return { ok: false, message: outcome.message, wrongPassword: outcome.retryAfterMs === undefined };
}
