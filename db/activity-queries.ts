import "server-only";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { db } from "./index";
import { securityEvents, type SecurityEventKind } from "./schema";
import type { Executor } from "./transaction";

export type SecurityEvent = {
  id: number;
  kind: SecurityEventKind;
  detail: Record<string, string | number> | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: number;
};

export function insertSecurityEvent(
  event: { userId: number; kind: SecurityEventKind; detail: Record<string, string | number> | null; ip: string | null; userAgent: string | null },
  now: number,
  executor: Executor = db(),
): void {
  executor
    .insert(securityEvents)
    .values({ ...event, detail: event.detail ? JSON.stringify(event.detail) : null, createdAt: now })
    .run();
}

/** Where a page of activity ends: the last event shown (newest first, ties by id). */
export type ActivityCursor = { createdAt: number; id: number };

/** A page of a user's activity, newest first, older than `before` when given. */
export function listSecurityEvents(
  userId: number,
  { before, limit = 50 }: { before?: ActivityCursor | null; limit?: number } = {},
): { events: SecurityEvent[]; older: ActivityCursor | null } {
  const olderThan = before
    ? or(lt(securityEvents.createdAt, before.createdAt), and(eq(securityEvents.createdAt, before.createdAt), lt(securityEvents.id, before.id)))
    : undefined;
  const rows = db()
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), olderThan))
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit + 1)
    .all();
  const events = rows.slice(0, limit).map((row) => ({ ...row, detail: row.detail ? (JSON.parse(row.detail) as Record<string, string | number>) : null }));
  const last = events.at(-1);
  return { events, older: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

export function listRecentSecurityEvents(userId: number, limit = 50): SecurityEvent[] {
  return listSecurityEvents(userId, { limit }).events;
}
