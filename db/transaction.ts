import "server-only";
import { db, type AppDatabase } from "./index";

export type Transaction = Parameters<Parameters<AppDatabase["transaction"]>[0]>[0];
export type Executor = AppDatabase | Transaction;

/**
 * BEGIN IMMEDIATE: takes SQLite's write lock before the first read, so a check-then-write
 * (a limit, a single-use code) is exact across every server process sharing the file.
 * The callback must be synchronous (better-sqlite3 commits when it returns).
 */
export function immediateTransaction<T>(work: (tx: Transaction) => T): T {
  return db().transaction(work, { behavior: "immediate" });
}
