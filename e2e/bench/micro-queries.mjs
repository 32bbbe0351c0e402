// Hot queries: the app's drizzle path against raw better-sqlite3 on the same connection, running
// the very SQL the app runs (recorded from it), so the reference follows the app's code.
import { compareBatches } from "./stats.mjs";

/**
 * Runs `fn` once and records every statement it executes (SQL and bound values), so the raw
 * reference runs exactly the app's SQL with the same values, whatever the app's code becomes.
 */
function recordStatements(sqlite, fn) {
  const proto = Object.getPrototypeOf(sqlite.prepare("SELECT 1"));
  const original = { run: proto.run, get: proto.get, all: proto.all };
  const executed = [];
  for (const method of Object.keys(original)) {
    proto[method] = function (...args) {
      executed.push({ source: this.source, method, args });
      return original[method].apply(this, args);
    };
  }
  try {
    fn();
  } finally {
    Object.assign(proto, original);
  }
  return executed;
}

/** The recorded statements as raw better-sqlite3: prepared once, `marker` replaced by the call's value. */
function replay(sqlite, executed, marker) {
  const statements = executed.map(({ source, method, args }) => ({ statement: sqlite.prepare(source), method, args }));
  return (value) => {
    let result;
    for (const { statement, method, args } of statements) {
      result = statement[method](...args.map((arg) => (arg === marker ? value : arg)));
    }
    return result;
  };
}

/** The app's hot queries (`deps`: the connection and the app's functions) against the same SQL run raw. */
export function preparedStatements({ sqlite, now, enrolledUser, getSessionVersion, consumeBackupCode, preparedStatement }) {
  sqlite.pragma("synchronous = OFF");
  const readers = Array.from({ length: 64 }, () => enrolledUser());
  const ids = readers.map((user) => user.id);
  const [firstRead] = recordStatements(sqlite, () => getSessionVersion(ids[0]));
  // The reference reads the one value as hand-written better-sqlite3 would: a plucked statement.
  const rawRead = sqlite.prepare(firstRead.source).pluck();
  let r = 0;
  const read = compareBatches(
    () => getSessionVersion(ids[r++ & 63]),
    () => rawRead.get(ids[r++ & 63]),
    { batch: 2000, rounds: 101 }, // short batches, many rounds: some escape the other processes entirely
  );

  // The consume update as sign-in runs it: inside a transaction, on a code that is there and unused
  // (each call consumes its own row, so every side gets rows of its own).
  const owner = readers[0].id;
  const perBatch = 200;
  // What is compared is the statement path, not the disk: synchronous stays OFF (no fsync per
  // batch) and the WAL is checkpointed between batches, never inside one.
  sqlite.pragma("wal_autocheckpoint = 0");
  const options = { batch: 1, rounds: 101, warmup: 2, between: () => sqlite.pragma("wal_checkpoint(TRUNCATE)") };
  const perSide = perBatch * (options.rounds + options.warmup) + 10;
  const sides = ["probe", "app", "raw", "statement", "rawStatement"];
  const insert = sqlite.prepare("INSERT INTO backup_codes (user_id, code_hash, pending, created_at) VALUES (?, ?, 0, ?)");
  sqlite.transaction(() => {
    for (let i = 0; i < perSide; i++) for (const side of sides) insert.run(owner, `${side}-${i}`, now);
  })();
  const next = Object.fromEntries(sides.map((side) => [side, 0]));
  const code = (side) => `${side}-${next[side]++}`;
  // Everything consumeBackupCode() executes for a code that is there: the UPDATE and what follows it.
  const probe = code("probe");
  const executed = recordStatements(sqlite, () => consumeBackupCode(owner, probe, now));
  const rawConsume = replay(sqlite, executed, probe);
  const rawStatementOnly = replay(sqlite, executed.slice(0, 1), probe);
  let failures = 0;
  const batchOf = (one) =>
    sqlite.transaction(() => {
      for (let i = 0; i < perBatch; i++) if (!one()) failures++;
    });
  const perCall = (run) => ({ ...run, nsA: run.nsA / perBatch, nsB: run.nsB / perBatch });
  const consume = perCall(
    compareBatches(
      batchOf(() => consumeBackupCode(owner, code("app"), now)),
      batchOf(() => {
        rawConsume(code("raw"));
        return true;
      }),
      options,
    ),
  );
  // The prepared UPDATE alone (what db/prepared.ts caches).
  const statement = preparedStatement("consumeBackupCode");
  const consumeStatement = perCall(
    compareBatches(
      batchOf(() => statement.run({ userId: owner, codeHash: code("statement"), now }).changes === 1),
      batchOf(() => rawStatementOnly(code("rawStatement")).changes === 1),
      options,
    ),
  );
  const consumed = sqlite.prepare("SELECT count(*) AS n FROM backup_codes WHERE code_hash LIKE ? AND used_at IS NOT NULL");
  for (const side of ["raw", "rawStatement"]) if (consumed.get(`${side}-%`).n !== next[side]) failures++;
  return { read, consume, consumeStatement, statements: executed.map((e) => e.source), failures };
}
