// Child process (node --conditions react-server, its own temporary DATABASE_URL): the in-process
// figures, measured through the app's own modules (loaded with tsx), each against a reference.
//   node --conditions react-server e2e/bench/micro.mjs <out.json>
import crypto from "node:crypto";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { register } from "tsx/esm/api";
import { referenceTotp, referenceVerify, totpStep } from "./reference-totp.mjs";
import { preparedStatements } from "./micro-queries.mjs";
import { compareBatches, median } from "./stats.mjs";

register();
const { generateTotp, generateTotpSecret, verifyTotp } = await import("../../lib/totp.ts");
const { db } = await import("../../db/index.ts");
const { prepared } = await import("../../db/prepared.ts");
const { createUser, getSessionVersion } = await import("../../db/queries.ts");
const { consumeBackupCode } = await import("../../db/second-factor-queries.ts");
const { completeEnrollment, confirmEnrollment, startEnrollment } = await import("../../db/two-factor-queries.ts");
const { verifySecondFactor } = await import("../../lib/auth/second-factor.ts");
const { generateBackupCodes, normalizeBackupCode } = await import("../../lib/backup-codes.ts");
const { backupCodeHash, sealTotpSecret } = await import("../../lib/two-factor/secrets.ts");

const outPath = process.argv[2];
const now = Date.now();
const sqlite = db().$client;

// ---- TOTP: lib/totp.ts against the node:crypto reference ------------------------------------
function totp() {
  // Both must agree before their speeds mean anything.
  for (let i = 0; i < 50; i++) {
    const secret = generateTotpSecret();
    const at = now + i * 7_919_000;
    const code = generateTotp(secret, at);
    if (code !== referenceTotp(secret, at) || verifyTotp(secret, code, { atMs: at }) !== referenceVerify(secret, code, at)) {
      throw new Error("lib/totp.ts and the reference disagree: the comparison would be meaningless");
    }
  }
  const secret = generateTotpSecret();
  const valid = new Set([-1, 0, 1].map((d) => referenceTotp(secret, now + d * 30_000)));
  let wrong = 0;
  while (valid.has(String(wrong).padStart(6, "0"))) wrong++;
  const wrongCode = String(wrong).padStart(6, "0");
  const rightCode = referenceTotp(secret, now);
  const options = { batch: 500, rounds: 41 };
  const wrongRun = compareBatches(
    () => verifyTotp(secret, wrongCode, { atMs: now }),
    () => referenceVerify(secret, wrongCode, now),
    options,
  );
  const rightRun = compareBatches(
    () => verifyTotp(secret, rightCode, { atMs: now }),
    () => referenceVerify(secret, rightCode, now),
    options,
  );
  return { wrong: wrongRun, right: rightRun };
}

// ---- users with two-factor on, as in lib/auth/second-factor.test.ts ---------------------------
let emailCounter = 0;
function enrolledUser() {
  const created = createUser(`micro${++emailCounter}@example.com`, "not-a-real-hash", now);
  if (created === "email-taken") throw new Error("unexpected");
  const id = created.id;
  const codes = generateBackupCodes();
  const sealedSecret = sealTotpSecret(id, generateTotpSecret());
  startEnrollment(id, sealedSecret, now, now + 60_000);
  const hashes = codes.map((code) => backupCodeHash(normalizeBackupCode(code) ?? ""));
  confirmEnrollment(id, { secretEncrypted: sealedSecret, step: totpStep(now) - 5 }, hashes, now, now + 60_000);
  completeEnrollment(id, now);
  return { id, codes, hashes };
}

/** `count` users with `left` unused backup codes each (the others consumed by the app's own query). */
function usersWithCodesLeft(count, left) {
  return Array.from({ length: count }, () => {
    const user = enrolledUser();
    for (let i = left; i < user.codes.length; i++) consumeBackupCode(user.id, user.hashes[i] ?? "", now);
    return { ...user, unused: user.codes.slice(0, left) };
  });
}

// ---- backup codes: cost with 10 left against 1 left, and hashes per attempt --------------------
function backupCodes() {
  const USERS = 200;
  const WRONG_PER_USER = 3; // well under the lock-out (10 in a row): every attempt takes the full path
  sqlite.pragma("synchronous = OFF");
  const ten = usersWithCodesLeft(USERS, 10);
  const one = usersWithCodesLeft(USERS, 1);
  const spare = { ten: usersWithCodesLeft(2, 10), one: usersWithCodesLeft(2, 1) };
  sqlite.pragma("synchronous = FULL"); // measured as the server runs it

  const timed = (fn) => {
    const start = process.hrtime.bigint();
    const outcome = fn();
    return { ns: Number(process.hrtime.bigint() - start), outcome };
  };
  const wrongCode = () => `${"0123456789abcdefghjk".charAt(crypto.randomInt(20))}${crypto.randomBytes(8).toString("hex").slice(0, 9)}`;
  const attempt = (user, code) => timed(() => verifySecondFactor(user.id, { method: "backup", code }, now));
  const wrong = { ten: [], one: [] };
  const right = { ten: [], one: [] };
  let unexpected = 0;
  // Interleaved, order swapped each time: drift on the machine hits both groups alike.
  for (let round = 0; round < WRONG_PER_USER; round++) {
    for (let i = 0; i < USERS; i++) {
      const pair = [["ten", ten[i]], ["one", one[i]]];
      if ((round + i) % 2) pair.reverse();
      for (const [group, user] of pair) {
        const { ns, outcome } = attempt(user, wrongCode());
        if (outcome.ok) unexpected++;
        wrong[group].push(ns);
      }
    }
  }
  for (let i = 0; i < USERS; i++) {
    const pair = [["ten", ten[i]], ["one", one[i]]];
    if (i % 2) pair.reverse();
    for (const [group, user] of pair) {
      const { ns, outcome } = attempt(user, user.unused.at(-1));
      if (!outcome.ok) unexpected++;
      right[group].push(ns);
    }
  }

  // Hashes per attempt: count every createHmac/createHash call made during one check.
  const original = { createHmac: crypto.createHmac, createHash: crypto.createHash };
  let hashes = 0;
  crypto.createHmac = (...args) => (hashes++, original.createHmac(...args));
  crypto.createHash = (...args) => (hashes++, original.createHash(...args));
  syncBuiltinESMExports(); // ESM named imports of node:crypto now see the counting versions
  const count = (user, code) => {
    hashes = 0;
    verifySecondFactor(user.id, { method: "backup", code }, now);
    return hashes;
  };
  const hashCounts = {
    wrongTen: count(spare.ten[0], wrongCode()),
    wrongOne: count(spare.one[0], wrongCode()),
    rightTen: count(spare.ten[1], spare.ten[1].unused.at(-1)),
    rightOne: count(spare.one[1], spare.one[1].unused.at(-1)),
  };
  Object.assign(crypto, original);
  syncBuiltinESMExports();

  const us = (ns) => ns / 1000;
  return {
    samples: { wrong: wrong.ten.length, right: right.ten.length },
    unexpected,
    wrong: { tenUs: us(median(wrong.ten)), oneUs: us(median(wrong.one)), ratio: median(wrong.ten) / median(wrong.one) },
    right: { tenUs: us(median(right.ten)), oneUs: us(median(right.one)), ratio: median(right.ten) / median(right.one) },
    hashCounts,
  };
}

const preparedStatement = (name) =>
  prepared(db(), name, () => {
    throw new Error(`${name} is not prepared`);
  });
const hotQueries = { sqlite, now, enrolledUser, getSessionVersion, consumeBackupCode, preparedStatement };
const result = { totp: totp(), backupCodes: backupCodes(), prepared: preparedStatements(hotQueries) };
// The checks above queued notification emails; let the app deliver them before the process ends.
await new Promise((resolve) => setTimeout(resolve, 200));
fs.writeFileSync(outPath, JSON.stringify(result));
