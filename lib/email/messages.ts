import type { SecurityEventKind } from "@/db/schema";

export type EmailMessage = { subject: string; body: string };
type Detail = Record<string, string | number> | null;

const footer = (appName: string) =>
  `\n\nIf this wasn't you, sign in and check Settings → User Options now, or reply to this email.\n— ${appName}`;

/** The notification for a security event, or null when that kind sends none. Never contains a secret. */
export function notificationFor(kind: SecurityEventKind, detail: Detail, appName: string): EmailMessage | null {
  const text = (subject: string, line: string): EmailMessage => ({ subject, body: `${line}${footer(appName)}` });
  switch (kind) {
    case "two-factor-enabled":
      return text("Two-factor authentication is on", "Two-factor authentication was turned on for your account. Signing in now asks for a code from your authenticator app.");
    case "two-factor-disabled":
      return text("Two-factor authentication was turned off", "Two-factor authentication was turned off for your account. Signing in now needs only your password.");
    case "two-factor-reset":
      return text("Two-factor authentication was reset by support", "At your request, our support team turned off two-factor authentication for your account and signed out every session. Turn it back on in Settings → User Options.");
    case "backup-code-used": {
      const left = Number(detail?.backupCodesLeft ?? 0);
      return text("A backup code was used", `One of your backup codes was used, to sign in or to confirm a change in Settings. You have ${left} backup ${left === 1 ? "code" : "codes"} left.${left <= 3 ? " You are running low: make new ones in Settings → User Options." : ""}`);
    }
    case "backup-codes-regenerated":
      return text("New backup codes were created", "A new set of backup codes was created for your account. The old codes no longer work.");
    case "security-key-added":
      return text("A security key was added", `A security key${detail?.name ? ` named “${detail.name}”` : ""} was added to your account.`);
    case "security-key-removed":
      return text("A security key was removed", `A security key${detail?.name ? ` named “${detail.name}”` : ""} was removed from your account.`);
    case "authenticator-changed":
      return text("Your authenticator app was changed", "A new authenticator app was set up for your account. Codes from the previous app no longer work.");
    case "password-changed":
      return text("Your password was changed", "The password of your account was changed, and every other session was signed out.");
    case "second-factor-locked":
      return text("Two-factor sign-in locked after too many attempts", `Someone entered too many wrong codes for your account, so two-factor sign-in is locked until ${detail?.lockedUntil ?? "later"}. If it wasn't you, your password may be known to someone else: change it.`);
    default:
      return null;
  }
}
