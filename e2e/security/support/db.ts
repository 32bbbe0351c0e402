// Read (and, to simulate time passing, write) the server's SQLite file from outside, as an
// operator or a thief with a copy of the file would.
import Database from "better-sqlite3";

export function openDb(file: string, { readonly = true } = {}): Database.Database {
  const db = new Database(file, { readonly, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return db;
}

export function withDb<T>(file: string, work: (db: Database.Database) => T, options = { readonly: true }): T {
  const db = openDb(file, options);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

const IGNORED_TABLES = new Set(["__drizzle_migrations", "sqlite_sequence"]);

/**
 * Every row of every app table, as one comparable string per table. `except` leaves out whole
 * tables ("auth_throttles") or single columns ("two_factor.failed_attempts").
 */
export function snapshot(file: string, { except = [] as string[] } = {}): Record<string, string> {
  return withDb(file, (db) => {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      if (IGNORED_TABLES.has(name) || except.includes(name)) continue;
      const dropped = except.filter((entry) => entry.startsWith(`${name}.`)).map((entry) => entry.slice(name.length + 1));
      const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all() as Record<string, unknown>[];
      out[name] = JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !dropped.includes(column)))));
    }
    return out;
  });
}

export function userId(file: string, email: string): number {
  const row = withDb(file, (db) => db.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: number } | undefined);
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}
