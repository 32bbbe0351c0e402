import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type AppDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const globalForDb = globalThis as unknown as { appDatabase?: AppDatabase };

export function openDatabase(filePath: string): AppDatabase {
  fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const sqlite = new Database(filePath);
  sqlite.pragma("journal_mode = WAL");
  // FULL: a crash right after a commit must not lose a consumed code or a lock-out.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  reuseStatements(sqlite);
  const database = drizzle(sqlite, { schema });
  migrate(database, { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
  return database;
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * drizzle prepares every query it runs anew, and compiling the SQL is most of the cost of a small
 * query. The same SQL text gets the same compiled statement back (a bounded, least-recently-used
 * cache), reset from the raw, pluck or expand mode an earlier caller left it in.
 */
function reuseStatements(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const statements = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const cached = statements.get(source);
    if (cached) {
      statements.delete(source);
      statements.set(source, cached);
      // One mode at a time: switching each off leaves the statement in plain row mode.
      return cached.reader ? cached.raw(false).pluck(false).expand(false) : cached;
    }
    const statement = prepare(source);
    statements.set(source, statement);
    if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
    return statement;
  }) as Database.Database["prepare"];
}

/** The one database connection of this process, opened and migrated on first use. */
export function db(): AppDatabase {
  globalForDb.appDatabase ??= openDatabase(env().databasePath);
  return globalForDb.appDatabase;
}
