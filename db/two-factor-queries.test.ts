import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { createUser, getSessionVersion } from "./queries";
import {
  completeEnrollment,
  confirmEnrollment,
  countUsableBackupCodes,
  getEnrollment,
  getTwoFactorStatus,
  moveEnrollmentStage,
  startEnrollment,
} from "./two-factor-queries";
import { db } from "./index";
import { env } from "@/lib/env";
import { generateTotpSecret } from "@/lib/totp";
import { openTotpSecret, sealTotpSecret } from "@/lib/two-factor/secrets";

const MINUTE = 60_000;
let emailCounter = 0;

function newUser(): number {
  const created = createUser(`user${++emailCounter}@example.com`, "not-a-real-hash", Date.now());
  if (created === "email-taken") throw new Error("unexpected");
  return created.id;
}

function hashes(prefix: string): string[] {
  return Array.from({ length: 10 }, (_, index) => `${prefix}-${index}`);
}

describe("two-factor enrolment on a real SQLite database", () => {
  it("cannot be completed without a verified code (a crafted request cannot skip a step)", () => {
    const userId = newUser();
    const now = Date.now();
    startEnrollment(userId, sealTotpSecret(userId, generateTotpSecret()), now, now + 15 * MINUTE);
    expect(completeEnrollment(userId, now)).toBe(false);
    expect(moveEnrollmentStage(userId, "scan", "verify", now)).toBe(true);
    expect(completeEnrollment(userId, now)).toBe(false);
    expect(getTwoFactorStatus(userId)).toBeNull();
  });

  it("turns on only at acknowledgement, in one transaction, recording the verified step", () => {
    const userId = newUser();
    const now = Date.now();
    const secret = generateTotpSecret();
    const sealed = sealTotpSecret(userId, secret);
    startEnrollment(userId, sealed, now, now + 15 * MINUTE);
    const versionBefore = getSessionVersion(userId);
    expect(confirmEnrollment(userId, { secretEncrypted: sealed, step: 1234 }, hashes("a"), now, now + 15 * MINUTE)).toBe(true);
    expect(getTwoFactorStatus(userId)).toBeNull();
    expect(countUsableBackupCodes(userId)).toBe(0);

    expect(completeEnrollment(userId, now)).toBe(true);
    const row = db().$client.prepare("SELECT secret_encrypted, last_used_step FROM two_factor WHERE user_id = ?").get(userId) as {
      secret_encrypted: string;
      last_used_step: number;
    };
    expect(row.last_used_step).toBe(1234);
    expect(row.secret_encrypted).not.toContain(secret);
    expect(openTotpSecret(userId, row.secret_encrypted)).toBe(secret);
    expect(getTwoFactorStatus(userId)).toEqual({ enabledAt: now, backupCodesLeft: 10 });
    expect(getEnrollment(userId, now)).toBeUndefined();
    expect(getSessionVersion(userId)).toBe((versionBefore ?? 0) + 1);
    expect(completeEnrollment(userId, now)).toBe(false);
    expect(startEnrollment(userId, sealTotpSecret(userId, generateTotpSecret()), now, now + MINUTE)).toBe(false);
  });

  it("lets exactly one of two racing verifications confirm", () => {
    const userId = newUser();
    const now = Date.now();
    const sealed = sealTotpSecret(userId, generateTotpSecret());
    startEnrollment(userId, sealed, now, now + 15 * MINUTE);
    const results = [
      confirmEnrollment(userId, { secretEncrypted: sealed, step: 1 }, hashes("first"), now, now + 15 * MINUTE),
      confirmEnrollment(userId, { secretEncrypted: sealed, step: 1 }, hashes("second"), now, now + 15 * MINUTE),
    ];
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("confirms only the secret the code was checked against, not one started meanwhile in another tab", () => {
    const userId = newUser();
    const now = Date.now();
    const checked = sealTotpSecret(userId, generateTotpSecret());
    startEnrollment(userId, checked, now, now + 15 * MINUTE);
    startEnrollment(userId, sealTotpSecret(userId, generateTotpSecret()), now, now + 15 * MINUTE);
    expect(confirmEnrollment(userId, { secretEncrypted: checked, step: 1 }, hashes("stale"), now, now + 15 * MINUTE)).toBe(false);
    expect(getEnrollment(userId, now)?.stage).toBe("scan");
  });

  it("forgets a pending secret after 15 minutes, and starting again makes a new one", () => {
    const userId = newUser();
    const now = Date.now();
    const sealed = sealTotpSecret(userId, generateTotpSecret());
    startEnrollment(userId, sealed, now, now + 15 * MINUTE);
    const first = getEnrollment(userId, now)?.secretEncrypted;
    expect(getEnrollment(userId, now + 15 * MINUTE)).toBeUndefined();
    expect(confirmEnrollment(userId, { secretEncrypted: sealed, step: 1 }, hashes("late"), now + 16 * MINUTE, now + 31 * MINUTE)).toBe(false);
    startEnrollment(userId, sealTotpSecret(userId, generateTotpSecret()), now + 16 * MINUTE, now + 31 * MINUTE);
    expect(getEnrollment(userId, now + 16 * MINUTE)?.secretEncrypted).not.toBe(first);
  });

  it("keeps the secret of one user unusable for another (ciphertext bound to the user)", () => {
    const alice = newUser();
    const bob = newUser();
    const sealed = sealTotpSecret(alice, generateTotpSecret());
    expect(() => openTotpSecret(bob, sealed)).toThrow();
  });

  it("stores the database where DATABASE_URL says", () => {
    expect(fs.existsSync(env().databasePath)).toBe(true);
  });
});
