// Password guessing: the per-account and per-IP limits of the password step, sequential, under
// concurrency, and with a forged X-Forwarded-For. Each test runs on its own server: a test that
// trips the per-IP limit must not lock the other tests out.
import { expect, test } from "@playwright/test";
import { submit } from "./support/actions";
import { userId, withDb } from "./support/db";
import { halfSignedIn, inBatches, newAccount, passwordStep, secondStep, twoFactorUser, type Account } from "./support/flows";
import { Client } from "./support/http";
import { startServer, type Server } from "./support/server";
import { wrongCode } from "./support/totp";

const ACCOUNT_LIMIT = 10;
const IP_LIMIT = 100;

async function createAccount(server: Server, prefix: string): Promise<Account> {
  const account = newAccount(prefix);
  const created = await submit(new Client(server), "createAccount", { email: account.email, password: account.password, confirmPassword: account.password });
  expect(created.outcome).toMatchObject({ kind: "result", value: { status: "success" } });
  return account;
}

const wrong = (account: Account, i: number): Account => ({ email: account.email, password: `${account.password}-wrong-${i}` });

test.describe("per account", () => {
  let server: Server;
  test.beforeAll(async () => {
    server = await startServer("throttle-account");
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("ten wrong passwords lock the account; then even the right password is refused", async () => {
    const account = await createAccount(server, "limit");
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT; i++) statuses.push((await passwordStep(new Client(server), wrong(account, i))).status);
    expect(statuses).toEqual([...Array(ACCOUNT_LIMIT - 1).fill(401), 429]);
    const right = await passwordStep(new Client(server), account);
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  test("with one guess left, three guesses at the same moment: only one of them is checked", async () => {
    const account = await createAccount(server, "in-flight");
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) expect((await passwordStep(new Client(server), wrong(account, i))).status).toBe(401);
    // One guess left. Three guesses in flight at once (here all three the right password, so any
    // guess that is checked shows up as a 200): the limit allows one check, not three.
    const answers = await Promise.all([0, 1, 2].map(() => passwordStep(new Client(server), account)));
    const statuses = answers.map((response) => response.status).sort();
    expect(statuses, "three simultaneous guesses when one was left").toEqual([200, 429, 429]);
  });

  test("a wrong password is not told that two-factor sign-in is locked (that would confirm the account)", async () => {
    const { account, twoFactor } = await twoFactorUser(server, "tflock");
    // Ten wrong codes over two challenges (five cancel a challenge): two-factor sign-in locks.
    for (let round = 0; round < 2; round++) {
      const half = await halfSignedIn(server, account);
      for (let i = 0; i < 5; i++) await secondStep(half, { method: "totp", code: wrongCode(twoFactor.secret, 12, round * 5 + i) });
    }
    expect((await passwordStep(new Client(server), account)).status, "the right password learns of the lock").toBe(429);
    const wrongPassword = await passwordStep(new Client(server), wrong(account, 0));
    const unknownEmail = await passwordStep(new Client(server), newAccount("nobody"));
    expect([wrongPassword.status, wrongPassword.json<{ message: string }>().message]).toEqual([401, unknownEmail.json<{ message: string }>().message]);
    expect(unknownEmail.status).toBe(401);
  });
});

test("a forged X-Forwarded-For does not escape the per-IP limit", async () => {
  // A direct client (no proxy in front): whatever it writes in X-Forwarded-For is its own claim.
  const server = await startServer("throttle-ip");
  try {
    // 100 wrong passwords for 100 different (unknown) emails: the per-IP rule, not the per-account one.
    const statuses = await inBatches(Array.from({ length: IP_LIMIT }), 2, async (_, i) => (await passwordStep(new Client(server), newAccount(`ip-${i}`))).status);
    // Two at a time: the last one or two may already see the block.
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(IP_LIMIT - 2);
    expect((await passwordStep(new Client(server), newAccount("ip-after"))).status, "the 101st from this machine").toBe(429);
    const forged = await new Client(server).postJson(
      "/api/sign-in",
      { email: newAccount("ip-forged").email, password: "whatever-password" },
      { headers: { "x-forwarded-for": "203.0.113.77" } },
    );
    expect(forged.status, "the 101st wrong password in 15 minutes from this machine, with a made-up X-Forwarded-For").toBe(429);
  } finally {
    await server.stop();
  }
});

test("the security activity log records the connection's address, not a forged X-Forwarded-For", async () => {
  const server = await startServer("throttle-activity");
  try {
    const account = await createAccount(server, "activity");
    const client = new Client(server);
    client.defaultHeaders = { "x-forwarded-for": "198.51.100.9" };
    expect((await passwordStep(client, account)).status).toBe(200);
    expect((await secondStep(client)).ok).toBe(true);
    const id = userId(server.dbPath, account.email);
    const rows = withDb(server.dbPath, (db) => db.prepare("SELECT ip FROM security_events WHERE user_id = ? AND kind = 'sign-in'").all(id)) as { ip: string | null }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const { ip } of rows) expect(ip, "the address shown to the user in Security activity").toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  } finally {
    await server.stop();
  }
});
