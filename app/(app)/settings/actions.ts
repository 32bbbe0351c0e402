"use server";

import { bumpSessionVersion, changePasswordHash } from "@/db/queries";
import { immediateTransaction } from "@/db/transaction";
import { disableTwoFactor, replaceBackupCodes } from "@/db/two-factor-queries";
import { failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { confirmIdentity } from "@/lib/auth/confirm-identity";
import { ServerBusyError } from "@/lib/auth/hash-limiter";
import { clientIp } from "@/lib/auth/client-ip";
import { hashPassword } from "@/lib/auth/password";
import { checkPasswordAgain } from "@/lib/auth/password-step";
import { confirmItsYouFirst } from "@/lib/auth/recent-auth";
import { reissueSession } from "@/lib/auth/reissue-session";
import { changeWithCode } from "@/lib/auth/change-with-code";
import { getCurrentUser, SIGNED_OUT_MESSAGE } from "@/lib/auth/session";
import { recordSecurityEvent, requestContext } from "@/lib/security-events";
import { generateBackupCodes } from "@/lib/backup-codes";
import { backupCodeHashes } from "@/lib/two-factor/secrets";
import { changePasswordSchema } from "@/lib/validation/account";
import { secondFactorFormSchema } from "@/lib/validation/two-factor";

export async function disableTwoFactorAction(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const input = parseInput(secondFactorFormSchema, formFields(formData));
  if (!input.ok) return input.result;
  const changed = await changeWithCode(
    user.id,
    input.data,
    (context) => disableTwoFactor(user.id, (tx) => recordSecurityEvent(user.id, "two-factor-disabled", null, context, tx)),
    "Two-factor authentication is already off.",
  );
  if (changed.status !== "success") return changed;
  // Other sessions end (the version was bumped); this browser keeps a fresh one.
  await reissueSession(user.id, Date.now());
  return success(null);
}

export async function generateNewBackupCodesAction(formData: FormData): Promise<ActionResult<{ codes: string[] }>> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const input = parseInput(secondFactorFormSchema, formFields(formData));
  if (!input.ok) return input.result;
  const codes = generateBackupCodes();
  const hashes = backupCodeHashes(codes);
  const changed = await changeWithCode(
    user.id,
    input.data,
    (context) => replaceBackupCodes(user.id, hashes, Date.now(), (tx) => recordSecurityEvent(user.id, "backup-codes-regenerated", null, context, tx)),
    "Two-factor authentication is off, so there are no backup codes to replace.",
  );
  if (changed.status !== "success") return changed;
  await reissueSession(user.id, Date.now());
  return success({ codes });
}

export async function signOutOtherSessionsAction(): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const stale = confirmItsYouFirst(user);
  if (stale) return stale;
  const context = await requestContext();
  immediateTransaction((tx) => {
    bumpSessionVersion(user.id, tx);
    recordSecurityEvent(user.id, "sessions-revoked", null, context, tx);
  });
  await reissueSession(user.id, user.authTime);
  return success(null);
}

export async function confirmIdentityAction(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  return confirmIdentity(user.id, formFields(formData));
}

export async function changePasswordAction(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const input = parseInput(changePasswordSchema, formFields(formData));
  if (!input.ok) return input.result;
  const check = await checkPasswordAgain(user.id, input.data.currentPassword, await clientIp());
  if (!check.ok) {
    const wrong = "Your current password is not right.";
    return check.wrongPassword ? failure(wrong, { currentPassword: [wrong] }) : failure(check.message);
  }
  try {
    const passwordHash = await hashPassword(input.data.newPassword);
    const context = await requestContext();
    changePasswordHash(user.id, passwordHash, (tx) => recordSecurityEvent(user.id, "password-changed", null, context, tx));
  } catch (error) {
    if (error instanceof ServerBusyError) return failure("The server is busy. Please try again in a moment.");
    throw error;
  }
  // The current session stays, with its sign-in time: a password alone does not open the window for
  // sensitive changes (with two-factor on, "confirm it's you" asks for a code).
  await reissueSession(user.id, user.authTime);
  return success(null);
}
