import "server-only";
import { desc, eq } from "drizzle-orm";
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

export function listRecentSecurityEvents(userId: number, limit = 50): SecurityEvent[] {
  return db()
    .select()
    .from(securityEvents)
    .where(eq(securityEvents.userId, userId))
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit)
    .all()
    .map((row) => ({ ...row, detail: row.detail ? (JSON.parse(row.detail) as Record<string, string | number>) : null }));
}
