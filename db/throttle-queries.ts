import "server-only";
import { and, eq, gt, inArray, max, sql } from "drizzle-orm";
import { db } from "./index";
import { immediateTransaction } from "./transaction";
import { authThrottles } from "./schema";

export type ThrottleRule = { limit: number; windowMs: number; blockMs: number };

/** The latest end of a block on any of `keys` that is still running, or null. */
export function getBlockedUntil(keys: string[], now: number): number | null {
  const row = db()
    .select({ blockedUntil: max(authThrottles.blockedUntil) })
    .from(authThrottles)
    .where(and(inArray(authThrottles.key, keys), gt(authThrottles.blockedUntil, now)))
    .get();
  return row?.blockedUntil ?? null;
}

/**
 * Counts an attempt before it is checked, as one upsert in a fixed window, so guesses already in
 * flight (in this process or another) cannot overshoot the limit. Returns the attempts in the
 * window, this one included; reaching the limit sets blockedUntil.
 */
function reserveAttempt(key: string, rule: ThrottleRule, now: number): number {
  const windowStart = now - rule.windowMs;
  const row = db()
    .insert(authThrottles)
    .values({ key, failures: 1, windowStartedAt: now, blockedUntil: rule.limit <= 1 ? now + rule.blockMs : null })
    .onConflictDoUpdate({
      target: authThrottles.key,
      set: {
        failures: sql`CASE WHEN ${authThrottles.windowStartedAt} <= ${windowStart} THEN 1 ELSE ${authThrottles.failures} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${authThrottles.windowStartedAt} <= ${windowStart} THEN ${now} ELSE ${authThrottles.windowStartedAt} END`,
        blockedUntil: sql`CASE WHEN ${authThrottles.windowStartedAt} > ${windowStart} AND ${authThrottles.failures} + 1 >= ${rule.limit} THEN ${now + rule.blockMs} ELSE ${authThrottles.blockedUntil} END`,
      },
    })
    .returning({ failures: authThrottles.failures })
    .get();
  return row?.failures ?? 1;
}

/** Takes back a reserved attempt that turned out not to be a guess (a right password). */
function refundAttempt(key: string): void {
  db().update(authThrottles).set({ failures: sql`MAX(${authThrottles.failures} - 1, 0)` }).where(eq(authThrottles.key, key)).run();
}

function clearThrottle(key: string): void {
  db().delete(authThrottles).where(eq(authThrottles.key, key)).run();
}

/** Several reservations in one transaction (one disk sync instead of one each). */
export function reserveAttempts(reservations: { key: string; rule: ThrottleRule }[], now: number): number[] {
  return immediateTransaction(() => reservations.map(({ key, rule }) => reserveAttempt(key, rule, now)));
}

/** After a right password: the account's count starts over, and the address's attempt is taken back. */
export function forgiveAttempts({ clear, refund }: { clear: string; refund: string }): void {
  immediateTransaction(() => {
    clearThrottle(clear);
    refundAttempt(refund);
  });
}
