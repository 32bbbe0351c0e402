import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listRecentSecurityEvents } from "@/db/activity-queries";
import { createUser, getSessionVersion } from "@/db/queries";
import { completeEnrollment, confirmEnrollment, getTwoFactorStatus, startEnrollment } from "@/db/two-factor-queries";
import { generateBackupCodes, normalizeBackupCode } from "@/lib/backup-codes";
import { generateTotpSecret, totpTimeStep } from "@/lib/totp";
import { backupCodeHash, sealTotpSecret } from "@/lib/two-factor/secrets";

// The real command, as support runs it: a separate process on the same database file.
function admin(...args: string[]) {
  const result = spawnSync(
    path.join(process.cwd(), "node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "lib/admin/cli.ts", ...args],
    { env: process.env, encoding: "utf8", timeout: 60_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function enrolledUser(email: string): number {
  const now = Date.now();
  const created = createUser(email, "hash", now);
  if (created === "email-taken") throw new Error("unexpected");
  const codes = generateBackupCodes().map((code) => backupCodeHash(normalizeBackupCode(code) ?? ""));
  const sealedSecret = sealTotpSecret(created.id, generateTotpSecret());
  startEnrollment(created.id, sealedSecret, now, now + 60_000);
  confirmEnrollment(created.id, { secretEncrypted: sealedSecret, step: totpTimeStep(now) }, codes, now, now + 60_000);
  completeEnrollment(created.id, now);
  return created.id;
}

describe("npm run admin", { timeout: 60_000 }, () => {
  it("refuses an unknown email with a clear message and exit code 1", () => {
    const result = admin("reset-2fa", "nobody@example.com", "--yes");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No account uses the email address "nobody@example.com"');
    expect(admin("user", "nobody@example.com").code).toBe(1);
  });

  it("shows a user's two-factor status and backup codes left", () => {
    enrolledUser("shown@example.com");
    const result = admin("user", "Shown@Example.com");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Two-factor:\s+on since/);
    expect(result.stdout).toMatch(/Backup codes:\s+10 of 10 left/);
  });

  it("without --yes and without a terminal, changes nothing", () => {
    const userId = enrolledUser("careful@example.com");
    const result = admin("reset-2fa", "careful@example.com");
    expect(result.code).toBe(1);
    expect(getTwoFactorStatus(userId)).not.toBeNull();
  });

  it("resets two-factor: off, sessions signed out, event recorded, user emailed", () => {
    const userId = enrolledUser("locked-out@example.com");
    const version = getSessionVersion(userId) ?? 0;
    const result = admin("reset-2fa", "locked-out@example.com", "--yes");
    expect(result.stdout).toContain("This will turn off two-factor authentication for locked-out@example.com");
    expect(result.code).toBe(0);
    expect(getTwoFactorStatus(userId)).toBeNull();
    expect(getSessionVersion(userId)).toBe(version + 1);
    expect(listRecentSecurityEvents(userId).map((event) => event.kind)).toContain("two-factor-reset");
    const outbox = process.env.EMAIL_OUTBOX_DIR ?? "";
    const messages = fs.readdirSync(outbox).map((file) => fs.readFileSync(path.join(outbox, file), "utf8"));
    const reset = messages.find((message) => message.includes("Subject: Two-factor authentication was reset by support"));
    expect(reset).toContain("To: locked-out@example.com");
  });
});
