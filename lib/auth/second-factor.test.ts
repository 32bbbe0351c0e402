import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/db/queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { completeEnrollment, confirmEnrollment, countUsableBackupCodes, startEnrollment } from "@/db/two-factor-queries";
import { formatBackupCode, generateBackupCodes, normalizeBackupCode } from "@/lib/backup-codes";
import { startWorkerPool } from "@/lib/test-support/run-concurrently";
import { generateTotp, generateTotpSecret, totpTimeStep } from "@/lib/totp";
import { backupCodeHash, sealTotpSecret } from "@/lib/two-factor/secrets";
import { SECOND_FACTOR_FAILURE_LIMIT, verifySecondFactor } from "./second-factor";

let counter = 0;

/** A user with two-factor on, enrolled through the real queries; returns the secret and codes. */
function enrolledUser(now: number) {
  const created = createUser(`sf${++counter}@example.com`, "hash", now);
  if (created === "email-taken") throw new Error("unexpected");
  const userId = created.id;
  const secret = generateTotpSecret();
  const codes = generateBackupCodes();
  const sealedSecret = sealTotpSecret(userId, secret);
  startEnrollment(userId, sealedSecret, now, now + 60_000);
  const hashes = codes.map((code) => backupCodeHash(normalizeBackupCode(code) ?? ""));
  confirmEnrollment(userId, { secretEncrypted: sealedSecret, step: totpTimeStep(now) - 5 }, hashes, now, now + 60_000);
  completeEnrollment(userId, now);
  return { userId, secret, codes };
}

describe("the second-factor verifier on a real SQLite database", () => {
  it("accepts a TOTP code once, and never an older step", () => {
    const now = Date.now();
    const { userId, secret } = enrolledUser(now);
    const code = generateTotp(secret, now);
    expect(verifySecondFactor(userId, { method: "totp", code }, now).ok).toBe(true);
    const again = verifySecondFactor(userId, { method: "totp", code }, now);
    expect(again).toMatchObject({ ok: false, message: expect.stringContaining("That code was already used") });
    const older = generateTotp(secret, now - 30_000);
    expect(verifySecondFactor(userId, { method: "totp", code: older }, now).ok).toBe(false);
  });

  it("accepts one time step of drift either way, and spaces in the code", () => {
    const now = Date.now();
    const { userId, secret } = enrolledUser(now);
    const ahead = generateTotp(secret, now + 30_000);
    expect(verifySecondFactor(userId, { method: "totp", code: `${ahead.slice(0, 3)} ${ahead.slice(3)}` }, now).ok).toBe(true);
  });

  it("accepts a backup code once, ignoring case, spaces and dashes", () => {
    const now = Date.now();
    const { userId, codes } = enrolledUser(now);
    const code = codes[0] ?? "";
    const typed = ` ${code.toUpperCase().replace("-", " - ")} `;
    expect(verifySecondFactor(userId, { method: "backup", code: typed }, now).ok).toBe(true);
    expect(verifySecondFactor(userId, { method: "backup", code }, now)).toMatchObject({
      ok: false,
      message: "This backup code has already been used.",
    });
    expect(countUsableBackupCodes(userId)).toBe(9);
  });

  it("locks after 10 wrong attempts in a row, refuses a right code while locked, and a success resets the count", () => {
    const now = Date.now();
    const { userId, secret } = enrolledUser(now);
    const wrong = (at: number) => verifySecondFactor(userId, { method: "backup", code: formatBackupCode("0000000000") }, at);
    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT - 1; i++) wrong(now);
    expect(verifySecondFactor(userId, { method: "totp", code: generateTotp(secret, now) }, now).ok).toBe(true);
    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT - 1; i++) expect(wrong(now).ok).toBe(false);
    const tenth = wrong(now);
    expect(tenth).toMatchObject({ ok: false, message: expect.stringMatching(/^Too many attempts\. Try again after \d\d:\d\d UTC\.$/) });
    const during = verifySecondFactor(userId, { method: "totp", code: generateTotp(secret, now + 60_000) }, now + 60_000);
    expect(during).toMatchObject({ ok: false, message: expect.stringContaining("Too many attempts") });
    const after = now + 16 * 60_000;
    expect(verifySecondFactor(userId, { method: "totp", code: generateTotp(secret, after) }, after).ok).toBe(true);
  });

  it("does not count malformed input against the limit", () => {
    const now = Date.now();
    const { userId } = enrolledUser(now);
    for (const code of ["", "12345x", "1234567", "💥", "a".repeat(5000)]) {
      expect(verifySecondFactor(userId, { method: "totp", code }, now)).toMatchObject({ ok: false, counted: false });
    }
    expect(getSecondFactorRecord(userId)?.lockedUntil).toBeNull();
  });
});

// Twenty threads each load TypeScript and open SQLite: seconds on two cores, hence the timeout.
describe("under real concurrency (20 threads, 20 connections, one database file)", { timeout: 60_000 }, () => {
  let pool: Awaited<ReturnType<typeof startWorkerPool>>;
  beforeAll(async () => {
    pool = await startWorkerPool(20);
  }, 60_000);
  afterAll(() => pool.stop());

  it("accepts 20 identical TOTP codes exactly once", async () => {
    const now = Date.now();
    const { userId, secret } = enrolledUser(now);
    const code = generateTotp(secret, now);
    const outcomes = await pool.run(Array.from({ length: 20 }, () => ({ userId, method: "totp" as const, code, now })));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
  });

  it("accepts 20 identical backup codes exactly once", async () => {
    const now = Date.now();
    const { userId, codes } = enrolledUser(now);
    const code = codes[3] ?? "";
    const outcomes = await pool.run(Array.from({ length: 20 }, () => ({ userId, method: "backup" as const, code, now })));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(countUsableBackupCodes(userId)).toBe(9);
  });

  it("holds the lock-out limit exactly under 20 concurrent wrong codes", async () => {
    const now = Date.now();
    const { userId } = enrolledUser(now);
    const code = formatBackupCode("0000000000");
    const outcomes = await pool.run(Array.from({ length: 20 }, () => ({ userId, method: "backup" as const, code, now })));
    const counted = outcomes.filter((outcome) => !outcome.ok && outcome.counted);
    expect(counted).toHaveLength(SECOND_FACTOR_FAILURE_LIMIT);
    expect(getSecondFactorRecord(userId)?.lockedUntil).toBe(now + 15 * 60_000);
  });
});
