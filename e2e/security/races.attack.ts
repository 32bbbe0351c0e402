// Races: the same TOTP code, the same backup code and many wrong codes fired at the same
// instant from separate browsers (separate challenges, separate connections), alternately at two
// server processes sharing one database file. The limits must hold exactly: one winner, and not
// one counted attempt more than the limit.
import { expect, test } from "@playwright/test";
import { callAction, formData, submit } from "./support/actions";
import { userId, withDb } from "./support/db";
import {
  csrfToken,
  halfSignedIn,
  inBatches,
  newAccount,
  passwordStep,
  postSecondStep,
  readSetupKey,
  signIn,
  signUp,
  twoFactorUser,
  type Account,
  type SecondStep,
} from "./support/flows";
import { Client } from "./support/http";
import { startServer, type Server } from "./support/server";
import { stepAt, totpForStep, wrongCode } from "./support/totp";

const SECOND_FACTOR_LIMIT = 10; // wrong second factors in a row before the 15-minute lock
const CHALLENGE_LIMIT = 5; // wrong codes on one sign-in challenge before it is cancelled
const WAVE = 20;

let server: Server;
let twin: Server;

test.beforeAll(async () => {
  server = await startServer("races");
  twin = await startServer("races-twin", { twinOf: server });
});

test.afterAll(async () => {
  await twin?.stop();
  await server?.stop();
});

/** Request `i` of a wave goes to one process or the other: a race across processes, not only across requests. */
const via = (client: Client, i: number) => (i % 2 === 1 ? client.on(twin) : client.clone());

type Kind = "ok" | "wrong" | "replayed" | "used" | "cancelled" | "locked" | "expired" | "other";

function classify(message: string | null | undefined): Kind {
  if (!message) return "other";
  if (/didn.t match/.test(message)) return "wrong";
  if (/already used\. Wait for the next code/.test(message)) return "replayed";
  if (/backup code has already been used/.test(message)) return "used";
  if (/Too many wrong codes/.test(message)) return "cancelled";
  if (/Too many attempts/.test(message)) return "locked";
  if (/sign-in expired/.test(message)) return "expired";
  return "other";
}

function tally(kinds: Kind[]): Partial<Record<Kind, number>> {
  const counts: Partial<Record<Kind, number>> = {};
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

const stepKind = (step: SecondStep): Kind => (step.status >= 500 ? "other" : step.ok ? "ok" : classify(step.error?.replace(/^(retry|restart):/, "")));

/** `count` browsers, each past the password step with its own challenge and csrf token. */
async function challenges(account: Account, count: number): Promise<{ client: Client; csrf: string }[]> {
  return inBatches(Array.from({ length: count }), 2, async () => {
    const client = await halfSignedIn(server, account);
    return { client, csrf: await csrfToken(client) };
  });
}

/** Fires every request at once: all of them are in flight before the first answer is read. */
function fire<T>(count: number, request: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => request(index)));
}

test("the same TOTP code from 20 browsers at once: exactly one session", async () => {
  const { account, twoFactor } = await twoFactorUser(server, "race-totp");
  const browsers = await challenges(account, WAVE);
  const code = totpForStep(twoFactor.secret, twoFactor.usedStep + 1);
  const results = await fire(WAVE, (i) => postSecondStep(via(browsers[i]!.client, i), browsers[i]!.csrf, { method: "totp", code }));
  const counts = tally(results.map(stepKind));
  expect(counts.ok, JSON.stringify(counts)).toBe(1);
  expect((counts.replayed ?? 0) + (counts.locked ?? 0), JSON.stringify(counts)).toBe(WAVE - 1);
  const id = userId(server.dbPath, account.email);
  const lastUsed = withDb(server.dbPath, (db) => (db.prepare("SELECT last_used_step AS s FROM two_factor WHERE user_id = ?").get(id) as { s: number }).s);
  expect(lastUsed).toBe(twoFactor.usedStep + 1);
});

test("the same backup code from 20 browsers at once: exactly one session, the code spent once", async () => {
  const { account, twoFactor } = await twoFactorUser(server, "race-backup");
  const browsers = await challenges(account, WAVE);
  const code = twoFactor.backupCodes[0] ?? "";
  const results = await fire(WAVE, (i) => postSecondStep(via(browsers[i]!.client, i), browsers[i]!.csrf, { method: "backup", code }));
  const counts = tally(results.map(stepKind));
  expect(counts.ok, JSON.stringify(counts)).toBe(1);
  expect((counts.used ?? 0) + (counts.locked ?? 0), JSON.stringify(counts)).toBe(WAVE - 1);
  const id = userId(server.dbPath, account.email);
  const codes = withDb(server.dbPath, (db) =>
    db.prepare("SELECT SUM(used_at IS NOT NULL) AS used, SUM(used_at IS NULL) AS usable FROM backup_codes WHERE user_id = ? AND pending = 0").get(id),
  );
  expect(codes).toEqual({ used: 1, usable: 9 });
});

test("24 wrong codes at once over 4 challenges: exactly 10 counted, then the account locks", async () => {
  const { account, twoFactor } = await twoFactorUser(server, "race-wrong");
  const browsers = await challenges(account, 4);
  const attempts = 24;
  const results = await fire(attempts, (i) => {
    const browser = browsers[i % browsers.length]!;
    return postSecondStep(via(browser.client, i), browser.csrf, { method: "totp", code: wrongCode(twoFactor.secret, 12, i) });
  });
  const counts = tally(results.map(stepKind));
  // Counted failures 1..9 answer "didn't match" (or "cancelled" for a challenge's 5th); the 10th locks.
  expect((counts.wrong ?? 0) + (counts.cancelled ?? 0), JSON.stringify(counts)).toBe(SECOND_FACTOR_LIMIT - 1);
  expect(counts.locked ?? 0, JSON.stringify(counts)).toBeGreaterThanOrEqual(1);
  expect(counts.ok ?? 0).toBe(0);
  expect((counts.wrong ?? 0) + (counts.cancelled ?? 0) + (counts.locked ?? 0) + (counts.expired ?? 0), JSON.stringify(counts)).toBe(attempts);

  const id = userId(server.dbPath, account.email);
  const state = withDb(server.dbPath, (db) => db.prepare("SELECT failed_attempts AS failed, locked_until AS lockedUntil FROM two_factor WHERE user_id = ?").get(id)) as {
    failed: number;
    lockedUntil: number;
  };
  expect(state.lockedUntil).toBeGreaterThan(Date.now() + 14 * 60_000);
  expect(state.failed).toBe(0);
  // Locked means locked: the right password and a right code get nowhere now.
  const response = await passwordStep(new Client(server), account);
  expect(response.status).toBe(429);
});

test("12 wrong codes at once on one challenge: cancelled after exactly 5", async () => {
  const { account, twoFactor } = await twoFactorUser(server, "race-challenge");
  const [browser] = await challenges(account, 1);
  const results = await fire(12, (i) => postSecondStep(via(browser!.client, i), browser!.csrf, { method: "totp", code: wrongCode(twoFactor.secret, 12, i) }));
  const counts = tally(results.map(stepKind));
  expect(counts, JSON.stringify(counts)).toEqual({ wrong: CHALLENGE_LIMIT - 1, cancelled: 1, expired: 12 - CHALLENGE_LIMIT });
  const id = userId(server.dbPath, account.email);
  const failed = withDb(server.dbPath, (db) => (db.prepare("SELECT failed_attempts AS f FROM two_factor WHERE user_id = ?").get(id) as { f: number }).f);
  expect(failed).toBe(CHALLENGE_LIMIT);
});

test("15 wrong codes at once to the Disable action: locked after exactly 10, two-factor stays on", async () => {
  const { client, account, twoFactor } = await twoFactorUser(server, "race-disable");
  const results = await fire(15, (i) =>
    submit(via(client, i), "disableTwoFactorAction", { method: "totp", code: wrongCode(twoFactor.secret, 12, i) }),
  );
  expect(results.filter((call) => call.status >= 500).map((call) => call.status), "server errors").toEqual([]);
  const kinds = results.map((call) => (call.outcome.kind === "result" ? (call.outcome.value.status === "success" ? "ok" : classify(call.outcome.value.message)) : "other"));
  const counts = tally(kinds);
  expect(counts.wrong, JSON.stringify(counts)).toBe(SECOND_FACTOR_LIMIT - 1);
  expect(counts.locked, JSON.stringify(counts)).toBe(15 - (SECOND_FACTOR_LIMIT - 1));
  // The right code is refused during the lock, and two-factor is still on.
  const right = await submit(client, "disableTwoFactorAction", { method: "totp", code: totpForStep(twoFactor.secret, twoFactor.usedStep + 1) });
  expect(right.outcome).toMatchObject({ kind: "result", value: { status: "error" } });
  const id = userId(server.dbPath, account.email);
  expect(withDb(server.dbPath, (db) => db.prepare("SELECT COUNT(*) AS n FROM two_factor WHERE user_id = ?").get(id))).toEqual({ n: 1 });
});

test("one backup code sent 10 times at once to New backup codes, three rounds: exactly one new set each time, no server error", async () => {
  const user = await twoFactorUser(server, "race-regen");
  const { account, twoFactor } = user;
  let client = user.client;
  let codes = twoFactor.backupCodes;
  for (let round = 0; round < 3; round++) {
    const code = codes[round] ?? "";
    const browsers = Array.from({ length: 10 }, (_, i) => via(client, i));
    const results = await Promise.all(browsers.map((browser) => submit(browser, "generateNewBackupCodesAction", { method: "backup", code })));
    expect(results.filter((call) => call.status >= 500).map((call) => `${call.status} ${call.text.slice(0, 80)}`), `round ${round}: server errors`).toEqual([]);
    const winners = results.flatMap((call, i) => (call.outcome.kind === "result" && call.outcome.value.status === "success" ? [i] : []));
    expect(winners, `round ${round}: winners`).toHaveLength(1);
    const winner = winners[0]!;
    codes = (results[winner]!.outcome as { value: { data: { codes: string[] } } }).value.data.codes;
    client = browsers[winner]!;
  }
  const id = userId(server.dbPath, account.email);
  expect(withDb(server.dbPath, (db) => db.prepare("SELECT COUNT(*) AS n, SUM(used_at IS NULL) AS usable FROM backup_codes WHERE user_id = ?").get(id))).toEqual({
    n: 10,
    usable: 10,
  });
  // The newest set works, the first set is gone.
  await signIn(server, account, { method: "backup", code: codes[9] ?? "" });
  const stale = await halfSignedIn(server, account);
  expect((await postSecondStep(stale, await csrfToken(stale), { method: "backup", code: twoFactor.backupCodes[5] ?? "" })).ok).toBe(false);
});

test("the enrolment code sent 10 times at once: one set of backup codes, two-factor on once", async () => {
  const { client, account } = await signUp(server, "race-enrol");
  expect((await submit(client, "beginEnrollment")).outcome).toMatchObject({ value: { status: "success" } });
  const secret = await readSetupKey(client);
  const code = totpForStep(secret, stepAt());
  const results = await fire(10, (i) => submit(via(client, i), "verifyEnrollmentCode", { code }));
  const winners = results.filter((call) => call.outcome.kind === "result" && call.outcome.value.status === "success");
  expect(winners).toHaveLength(1);
  const codes = (winners[0]!.outcome as { value: { data: { codes: string[] } } }).value.data.codes;
  const acks = await fire(5, (i) => submit(via(client, i), "acknowledgeBackupCodes", { acknowledged: "on" }));
  expect([...results, ...acks].filter((call) => call.status >= 500).map((call) => call.status), "server errors").toEqual([]);
  expect(acks.filter((call) => call.outcome.kind === "result" && call.outcome.value.status === "success")).toHaveLength(1);
  const id = userId(server.dbPath, account.email);
  expect(withDb(server.dbPath, (db) => db.prepare("SELECT COUNT(*) AS n, SUM(pending) AS pending FROM backup_codes WHERE user_id = ?").get(id))).toEqual({
    n: 10,
    pending: 0,
  });
  await signIn(server, account, { method: "backup", code: codes[9] ?? "" });
});

test("one email signed up 8 times at once: one account, no server error", async () => {
  const account = newAccount("race-signup");
  const results = await fire(8, (i) =>
    callAction(via(new Client(server), i), "createAccount", [formData({ email: account.email, password: account.password, confirmPassword: account.password })]),
  );
  expect(results.map((call) => call.status)).toEqual(Array(8).fill(200));
  const successes = results.filter((call) => call.outcome.kind === "result" && call.outcome.value.status === "success");
  expect(successes).toHaveLength(1);
  expect(withDb(server.dbPath, (db) => db.prepare("SELECT COUNT(*) AS n FROM users WHERE email = ?").get(account.email))).toEqual({ n: 1 });
});

test("two server processes writing at once: no request fails with 'database is locked'", async () => {
  // One process keeps writing (a wizard restarted over and over); the other makes new backup codes
  // and turns two-factor on, ten times each. SQLite serialises the writers; none may get a 500.
  const { client: writer } = await signUp(server, "race-writer");
  const onTwin = writer.on(twin);
  const { client: regen, twoFactor } = await twoFactorUser(server, "race-regen-busy");
  const { client: enrol } = await signUp(server, "race-enrol-busy");
  let busy = true;
  const background: number[] = [];
  const writing = (async () => {
    for (let i = 0; busy && i < 2000; i++) background.push((await submit(onTwin, "beginEnrollment")).status);
  })();
  const foreground: number[] = [];
  try {
    let codes = twoFactor.backupCodes;
    for (let round = 0; round < 10; round++) {
      const call = await submit(regen, "generateNewBackupCodesAction", { method: "backup", code: codes[0] ?? "" });
      foreground.push(call.status);
      // Every write must really happen: a "database is locked" turned into an error result would not do.
      expect(call.outcome, `new backup codes, round ${round}`).toMatchObject({ kind: "result", value: { status: "success" } });
      if (call.outcome.kind === "result" && call.outcome.value.status === "success") codes = (call.outcome.value.data as { codes: string[] }).codes;
    }
    for (let round = 0; round < 10; round++) {
      for (const name of ["beginEnrollment", "cancelTwoFactorSetup"] as const) {
        const call = await submit(enrol, name);
        foreground.push(call.status);
        expect(call.outcome, `${name}, round ${round}`).toMatchObject({ kind: "result", value: { status: "success" } });
      }
    }
  } finally {
    busy = false;
    await writing;
  }
  expect(background.length, "the other process wrote all along").toBeGreaterThan(10);
  expect([...foreground, ...background].filter((status) => status >= 500), "requests answered 500 (database is locked)").toEqual([]);
});
