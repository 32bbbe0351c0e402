import { sql, type AnyColumn } from "drizzle-orm";

/** `column + 1`, evaluated by SQLite in the same statement (no read-then-write race). */
export function sqlIncrement(column: AnyColumn) {
  return sql<number>`${column} + 1`;
}
