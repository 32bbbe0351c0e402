import "server-only";
import { eq, sql } from "drizzle-orm";
import { db } from "./index";
import { authThrottles } from "./schema";

export type ThrottleRule = { limit: number; windowMs: number; blockMs: number };

export function getBlockedUntil(key: string, now: number): number | null {
  const row = db().select({ blockedUntil: authThrottles.blockedUntil }).from(authThrottles).where(eq(authThrottles.key, key)).get();
  return row?.blockedUntil && row.blockedUntil > now ? row.blockedUntil : null;
}

export function clearThrottle(key: string): void {
  db().delete(authThrottles).where(eq(authThrottles.key, key)).run();
}

/**
 * Counts an attempt before it is checked, as one upsert in a fixed window, so guesses already in
 * flight (in this process or another) cannot overshoot the limit. Returns the attempts in the
 * window, this one included; reaching the limit sets blockedUntil.
 */
export function reserveAttempt(key: string, rule: ThrottleRule, now: number): number {
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

/** Takes back a reserved attempt that turned out not to be a guess (a right password, a busy server). */
export function refundAttempt(key: string): void {
  db().update(authThrottles).set({ failures: sql`MAX(${authThrottles.failures} - 1, 0)` }).where(eq(authThrottles.key, key)).run();
}
