import "server-only";
import type { AppDatabase } from "./index";

const cache = new WeakMap<AppDatabase, Map<string, unknown>>();

/**
 * A statement prepared once per connection: hot queries skip drizzle's per-call query
 * building (~0.1 ms). Statements run on the same connection, so also inside its transactions.
 */
export function prepared<T>(database: AppDatabase, name: string, build: (database: AppDatabase) => T): T {
  let statements = cache.get(database);
  if (!statements) cache.set(database, (statements = new Map()));
  if (!statements.has(name)) statements.set(name, build(database));
  return statements.get(name) as T;
}

/**
 * The hottest reads (one column of one row, on every session check): drizzle builds the SQL once,
 * and better-sqlite3 runs it as a plucked statement, without drizzle's per-row mapping (which
 * costs a fifth of such a read). Parameters bind in the order the placeholders appear.
 */
export function preparedValue<T>(
  database: AppDatabase,
  name: string,
  build: (database: AppDatabase) => { toSQL(): { sql: string } },
): (...params: unknown[]) => T | undefined {
  return prepared(database, name, (connection) => {
    const statement = connection.$client.prepare(build(connection).toSQL().sql);
    // pluck() on every call: the connection reuses statements by SQL text (db/index.ts), so the
    // same object may have been switched to another mode since.
    return (...params: unknown[]) => statement.pluck().get(...params) as T | undefined;
  });
}
