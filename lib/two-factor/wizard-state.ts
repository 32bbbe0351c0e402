import "server-only";
import { getAccount } from "@/db/queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { getEnrollment } from "@/db/two-factor-queries";
import { isRecentlyAuthenticated } from "@/lib/auth/recent-auth";
import type { CurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { buildOtpauthUri } from "@/lib/totp";
import { openTotpSecret } from "./secrets";

export type WizardState =
  | { step: "already-on" }
  | { step: "confirm-password" }
  | { step: "choose-app" }
  | { step: "scan"; otpauthUri: string; secret: string }
  | { step: "verify" | "codes"; appName: string; email: string };

/** Which wizard step this user is on, from the database alone. */
export function loadWizardState(user: CurrentUser, now = Date.now()): WizardState {
  const account = getAccount(user.id);
  if (!account || getSecondFactorRecord(user.id)) return { step: "already-on" };
  // Every step shows or completes a secret: only to a sign-in from the last ten minutes, so an
  // older session (a stolen cookie) cannot read a setup the account holder just started.
  if (!isRecentlyAuthenticated(user, now)) return { step: "confirm-password" };
  const enrollment = getEnrollment(user.id, now);
  const appName = env().APP_NAME;
  if (!enrollment) return { step: "choose-app" };
  if (enrollment.stage === "scan") {
    const secret = openTotpSecret(user.id, enrollment.secretEncrypted);
    return { step: "scan", secret, otpauthUri: buildOtpauthUri({ issuer: appName, accountName: account.email, secret }) };
  }
  return { step: enrollment.stage, appName, email: account.email };
}

export type AuthenticatorChangeState =
  | { step: "two-factor-off" }
  | { step: "confirm-identity" }
  | { step: "start" }
  | { step: "scan-and-verify"; otpauthUri: string; secret: string };

/** Change authenticator app: the same derivation, for a pending replacement secret. */
export function loadAuthenticatorChangeState(user: CurrentUser, now = Date.now()): AuthenticatorChangeState {
  const account = getAccount(user.id);
  if (!account || !getSecondFactorRecord(user.id)) return { step: "two-factor-off" };
  if (!isRecentlyAuthenticated(user, now)) return { step: "confirm-identity" };
  const pending = getEnrollment(user.id, now, "replace");
  if (!pending) return { step: "start" };
  const secret = openTotpSecret(user.id, pending.secretEncrypted);
  return {
    step: "scan-and-verify",
    secret,
    otpauthUri: buildOtpauthUri({ issuer: env().APP_NAME, accountName: account.email, secret }),
  };
}
