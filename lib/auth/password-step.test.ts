import { describe, expect, it } from "vitest";
import { db } from "@/db/index";
import { createUser } from "@/db/queries";
import { MAX_CONCURRENT_HASHES, withHashSlot } from "./hash-limiter";
import { hashPassword } from "./password";
import { checkPasswordAgain, checkPasswordStep, WRONG_PASSWORD_MESSAGE } from "./password-step";

const PASSWORD = "correct horse battery staple";
let counter = 0;

async function account(now: number) {
  const email = `step${++counter}@example.com`;
  const created = createUser(email, await hashPassword(PASSWORD), now);
  if (created === "email-taken") throw new Error("unexpected");
  return { email, id: created.id };
}

function throttleRows() {
  return db().$client.prepare("SELECT key, failures, blocked_until AS blockedUntil FROM auth_throttles ORDER BY key").all();
}

function failures(key: string): number {
  const row = db().$client.prepare("SELECT failures FROM auth_throttles WHERE key = ?").get(key) as { failures: number } | undefined;
  return row?.failures ?? 0;
}

describe("the password step on a real database", () => {
  it("ten wrong passwords lock the account, and then the right one gets the same answer", async () => {
    const now = Date.now();
    const { email } = await account(now);
    for (let i = 0; i < 9; i++) expect(await checkPasswordStep(email, "wrong", "10.0.0.1", now)).toEqual({ ok: false, message: WRONG_PASSWORD_MESSAGE });
    const tenth = await checkPasswordStep(email, "wrong", "10.0.0.1", now);
    expect(tenth).toMatchObject({ ok: false, message: expect.stringContaining("Too many attempts"), retryAfterMs: 15 * 60_000 });
    expect(await checkPasswordStep(email, PASSWORD, "10.0.0.1", now + 1000)).toEqual({ ...tenth, retryAfterMs: 15 * 60_000 - 1000 });
  });

  it("a right password starts the account's count over and does not count against the address", async () => {
    const now = Date.now();
    const { email, id } = await account(now);
    for (let i = 0; i < 3; i++) await checkPasswordStep(email, "wrong", "10.0.0.2", now);
    expect(await checkPasswordStep(email, PASSWORD, "10.0.0.2", now)).toMatchObject({ ok: true, userId: id, secondFactorRequired: false });
    expect(failures(`account:${email}`)).toBe(0);
    expect(failures("ip:10.0.0.2")).toBe(3);
  });

  it("with one guess left, guesses sent at the same moment are refused without being checked", async () => {
    const now = Date.now();
    const { email } = await account(now);
    for (let i = 0; i < 9; i++) await checkPasswordStep(email, "wrong", "10.0.0.3", now);
    // The right password arrives with two wrong ones: only the first reservation gets the last guess.
    const answers = await Promise.all(["wrong", PASSWORD, "wrong"].map((password) => checkPasswordStep(email, password, "10.0.0.3", now)));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(0);
    expect(answers.every((answer) => !answer.ok && answer.message.startsWith("Too many attempts"))).toBe(true);
  });

  it("answers 'busy' at once when every hash slot is taken, and writes nothing", async () => {
    const now = Date.now();
    const { email } = await account(now);
    const before = throttleRows();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holders = Array.from({ length: MAX_CONCURRENT_HASHES }, () => withHashSlot(() => gate));
    const answer = await checkPasswordStep(email, PASSWORD, "10.0.0.4", now);
    release();
    await Promise.all(holders);
    expect(answer).toEqual({ ok: false, message: expect.stringContaining("Many people are signing in"), retryAfterMs: 1000 });
    expect(throttleRows()).toEqual(before);
    expect((await checkPasswordStep(email, PASSWORD, "10.0.0.4", now)).ok).toBe(true);
  });

  it("typing the password again while signed in counts against the same limit as signing in", async () => {
    const now = Date.now();
    const { email, id } = await account(now);
    expect(await checkPasswordAgain(id, PASSWORD, "10.0.0.5", now)).toEqual({ ok: true });
    for (let i = 0; i < 9; i++) expect(await checkPasswordAgain(id, "wrong", "10.0.0.5", now)).toMatchObject({ ok: false, wrongPassword: true });
    const tenth = await checkPasswordAgain(id, "wrong", "10.0.0.5", now);
    expect(tenth).toMatchObject({ ok: false, wrongPassword: false, message: expect.stringContaining("Too many attempts") });
    expect(await checkPasswordAgain(id, PASSWORD, "10.0.0.5", now)).toMatchObject({ ok: false, wrongPassword: false });
    // The account is locked for signing in too.
    expect(await checkPasswordStep(email, PASSWORD, "10.0.0.6", now)).toMatchObject({ ok: false, retryAfterMs: 15 * 60_000 });
  });
});
