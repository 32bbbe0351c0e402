import { describe, expect, it } from "vitest";
import { createUser, getSessionVersion } from "@/db/queries";
import {
  completeAuthenticatorChange,
  completeEnrollment,
  confirmEnrollment,
  countUsableBackupCodes,
  disableTwoFactor,
  getTwoFactorStatus,
  replaceBackupCodes,
  startAuthenticatorChange,
  startEnrollment,
} from "@/db/two-factor-queries";
import { db } from "@/db/index";
import { insertSecurityKey } from "@/db/security-key-queries";
import { verifySecondFactor } from "@/lib/auth/second-factor";
import { generateBackupCodes, normalizeBackupCode } from "@/lib/backup-codes";
import { generateTotp, generateTotpSecret, totpTimeStep } from "@/lib/totp";
import { backupCodeHash, sealTotpSecret } from "./secrets";

let counter = 0;
const hashAll = (codes: string[]) => codes.map((code) => backupCodeHash(normalizeBackupCode(code) ?? ""));

function enrolledUser(now: number) {
  const created = createUser(`manage${++counter}@example.com`, "hash", now);
  if (created === "email-taken") throw new Error("unexpected");
  const userId = created.id;
  const secret = generateTotpSecret();
  const codes = generateBackupCodes();
  const sealedSecret = sealTotpSecret(userId, secret);
  startEnrollment(userId, sealedSecret, now, now + 60_000);
  confirmEnrollment(userId, { secretEncrypted: sealedSecret, step: totpTimeStep(now) - 5 }, hashAll(codes), now, now + 60_000);
  completeEnrollment(userId, now);
  return { userId, secret, codes };
}

function rowCount(table: string, userId: number): number {
  const row = db().$client.prepare(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`).get(userId) as { n: number };
  return row.n;
}

describe("managing two-factor on a real SQLite database", () => {
  it("disables in one transaction: secret, every backup code and the session version", () => {
    const now = Date.now();
    const { userId } = enrolledUser(now);
    const version = getSessionVersion(userId) ?? 0;
    expect(disableTwoFactor(userId)).toBe(true);
    expect(getTwoFactorStatus(userId)).toBeNull();
    expect(rowCount("two_factor", userId)).toBe(0);
    expect(rowCount("backup_codes", userId)).toBe(0);
    expect(getSessionVersion(userId)).toBe(version + 1);
    expect(disableTwoFactor(userId)).toBe(false);
  });

  it("replaces every backup code at once: old ones fail, new ones work", () => {
    const now = Date.now();
    const { userId, codes: oldCodes } = enrolledUser(now);
    const newCodes = generateBackupCodes();
    expect(replaceBackupCodes(userId, hashAll(newCodes), now)).toBe(true);
    expect(countUsableBackupCodes(userId)).toBe(10);
    expect(verifySecondFactor(userId, { method: "backup", code: oldCodes[0] ?? "" }, now).ok).toBe(false);
    expect(verifySecondFactor(userId, { method: "backup", code: newCodes[0] ?? "" }, now).ok).toBe(true);
  });

  it("installs only the secret the code was checked against, even if another tab started a new change", () => {
    const now = Date.now();
    const { userId, secret: oldSecret } = enrolledUser(now);
    const checked = sealTotpSecret(userId, generateTotpSecret());
    expect(startAuthenticatorChange(userId, checked, now, now + 60_000)).toBe(true);
    // The other tab: a fresh change, whose secret nobody has verified.
    expect(startAuthenticatorChange(userId, sealTotpSecret(userId, generateTotpSecret()), now, now + 60_000)).toBe(true);
    expect(completeAuthenticatorChange(userId, { secretEncrypted: checked, step: totpTimeStep(now) }, now)).toBe(false);
    expect(verifySecondFactor(userId, { method: "totp", code: generateTotp(oldSecret, now + 30_000) }, now + 30_000).ok).toBe(true);
  });

  it("keeps the old app working until the new one is verified, then only the new one", () => {
    const now = Date.now();
    const { userId, secret: oldSecret } = enrolledUser(now);
    const newSecret = generateTotpSecret();
    const sealedNew = sealTotpSecret(userId, newSecret);
    expect(startAuthenticatorChange(userId, sealedNew, now, now + 60_000)).toBe(true);
    expect(verifySecondFactor(userId, { method: "totp", code: generateTotp(oldSecret, now) }, now).ok).toBe(true);

    const later = now + 30_000;
    expect(completeAuthenticatorChange(userId, { secretEncrypted: sealedNew, step: totpTimeStep(later) }, later)).toBe(true);
    const muchLater = later + 30_000;
    expect(verifySecondFactor(userId, { method: "totp", code: generateTotp(oldSecret, muchLater) }, muchLater).ok).toBe(false);
    expect(verifySecondFactor(userId, { method: "totp", code: generateTotp(newSecret, muchLater) }, muchLater).ok).toBe(true);
  });

  it("refuses to change or replace anything when two-factor is off", () => {
    const now = Date.now();
    const created = createUser(`off${++counter}@example.com`, "hash", now);
    if (created === "email-taken") throw new Error("unexpected");
    expect(startAuthenticatorChange(created.id, sealTotpSecret(created.id, generateTotpSecret()), now, now + 1)).toBe(false);
    expect(replaceBackupCodes(created.id, hashAll(generateBackupCodes()), now)).toBe(false);
    // A registration started before two-factor was turned off (another tab) cannot finish.
    const key = { userId: created.id, credentialId: "cred-off", publicKey: "pk", counter: 0, transports: null, name: "Key" };
    expect(insertSecurityKey(key, now)).toBe("two-factor-off");
  });
});
