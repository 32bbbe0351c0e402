import type { ActivityCursor } from "@/db/activity-queries";

/** `?activityBefore=<createdAt>-<id>`: anything else is the first page, never an error. */
export function parseActivityCursor(raw: unknown): ActivityCursor | null {
  if (typeof raw !== "string") return null;
  const match = /^(\d{1,15})-(\d{1,15})$/.exec(raw);
  return match ? { createdAt: Number(match[1]), id: Number(match[2]) } : null;
}

export function formatActivityCursor(cursor: ActivityCursor): string {
  return `${cursor.createdAt}-${cursor.id}`;
}
