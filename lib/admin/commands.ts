import { listRecentSecurityEvents } from "@/db/activity-queries";
import { findUserIdByEmail, getAccount } from "@/db/queries";
import { listSecurityKeys } from "@/db/security-key-queries";
import { disableTwoFactor, getTwoFactorStatus } from "@/db/two-factor-queries";
import { deliverPendingEmails } from "@/lib/email/outbox";
import { describeSecurityEvent, SUPPORT_USER_AGENT } from "@/lib/security-event-labels";
import { recordSecurityEvent } from "@/lib/security-events";

export type Io = { out: (line: string) => void; err: (line: string) => void; confirm: (question: string) => Promise<boolean> };

const ADMIN_CONTEXT = { ip: "admin-cli", userAgent: SUPPORT_USER_AGENT };
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

function findAccount(email: string, io: Io) {
  const userId = findUserIdByEmail(email.trim().toLowerCase());
  const account = userId === undefined ? undefined : getAccount(userId);
  if (!account) io.err(`No account uses the email address "${email}". Check the spelling; nothing was changed.`);
  return account;
}

/** `user <email>`: two-factor status, backup codes left, security keys and recent events. */
export function showUser(email: string, io: Io): number {
  const account = findAccount(email, io);
  if (!account) return 1;
  const status = getTwoFactorStatus(account.id);
  const keys = listSecurityKeys(account.id);
  io.out(`Account:        ${account.email} (id ${account.id}, created ${utc(account.createdAt)})`);
  io.out(`Two-factor:     ${status ? `on since ${utc(status.enabledAt)}` : "off"}`);
  io.out(`Backup codes:   ${status ? `${status.backupCodesLeft} of 10 left` : "none"}`);
  io.out(`Security keys:  ${keys.length === 0 ? "none" : keys.map((key) => JSON.stringify(key.name)).join(", ")}`);
  io.out("Recent events:");
  for (const event of listRecentSecurityEvents(account.id, 10)) {
    io.out(`  ${utc(event.createdAt)}  ${describeSecurityEvent(event.kind, event.detail)}${event.ip ? `  (${event.ip})` : ""}`);
  }
  return 0;
}

/** `reset-2fa <email>`: for someone who lost both their phone and their backup codes. */
export async function resetTwoFactor(email: string, skipConfirmation: boolean, io: Io): Promise<number> {
  const account = findAccount(email, io);
  if (!account) return 1;
  const status = getTwoFactorStatus(account.id);
  if (!status) {
    io.out(`Two-factor authentication is already off for ${account.email}. Nothing to do.`);
    return 0;
  }
  const keys = listSecurityKeys(account.id).length;
  io.out(`This will turn off two-factor authentication for ${account.email}:`);
  io.out(`  - delete the authenticator secret, ${status.backupCodesLeft} unused backup codes and ${keys} security key(s);`);
  io.out("  - sign out every session of this account;");
  io.out("  - record the reset in the account's security activity and email the user.");
  if (!skipConfirmation && !(await io.confirm("Type yes to continue: "))) {
    io.err("Cancelled. Nothing was changed.");
    return 1;
  }
  // Two-factor may have been turned off while the question was open: then nothing is done.
  if (!disableTwoFactor(account.id, (tx) => recordSecurityEvent(account.id, "two-factor-reset", null, ADMIN_CONTEXT, tx))) {
    io.out(`Two-factor authentication is already off for ${account.email}. Nothing was changed.`);
    return 0;
  }
  await deliverPendingEmails();
  io.out(`Done. ${account.email} can now sign in with their password alone; they were emailed about it.`);
  return 0;
}
