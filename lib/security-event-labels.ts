import type { SecurityEventKind } from "@/db/schema";

type Detail = Record<string, string | number> | null;

const SIGN_IN_METHODS: Record<string, string> = {
  password: "password only",
  totp: "authenticator code",
  backup: "backup code",
  webauthn: "security key",
};

/** How an event reads in "Recent security activity". */
export function describeSecurityEvent(kind: SecurityEventKind, detail: Detail): string {
  switch (kind) {
    case "sign-in":
      return `Signed in (${SIGN_IN_METHODS[String(detail?.method)] ?? "password"})`;
    case "second-factor-failed":
      return "Wrong two-factor code entered";
    case "second-factor-locked":
      return `Two-factor sign-in locked until ${detail?.lockedUntil ?? "later"} after too many attempts`;
    case "two-factor-enabled":
      return "Two-factor authentication turned on";
    case "two-factor-disabled":
      return "Two-factor authentication turned off";
    case "two-factor-reset":
      return "Two-factor authentication reset by support";
    case "backup-codes-regenerated":
      return "New backup codes created";
    case "backup-code-used":
      return `Backup code used (${detail?.backupCodesLeft ?? "?"} left)`;
    case "authenticator-changed":
      return "Authenticator app changed";
    case "security-key-added":
      return `Security key added${detail?.name ? `: ${detail.name}` : ""}`;
    case "security-key-removed":
      return `Security key removed${detail?.name ? `: ${detail.name}` : ""}`;
    case "password-changed":
      return "Password changed";
    case "sessions-revoked":
      return "Other sessions signed out";
  }
}

/** Recorded as the "user agent" of changes made by support with `npm run admin`. */
export const SUPPORT_USER_AGENT = "support: npm run admin";

/** "Chrome on Linux"-style summary of a user agent; the raw string is kept in the database. */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return "unknown device";
  if (userAgent === SUPPORT_USER_AGENT) return "Support (admin command)";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Chrome\//.test(userAgent)
      ? "Chrome"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "a browser";
  const system = /Windows/.test(userAgent)
    ? "Windows"
    : /Android/.test(userAgent)
      ? "Android"
      : /iPhone|iPad/.test(userAgent)
        ? "iOS"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : "an unknown system";
  return `${browser} on ${system}`;
}
