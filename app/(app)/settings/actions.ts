"use server";

import { bumpSessionVersion } from "@/db/queries";
import { disableTwoFactor, replaceBackupCodes } from "@/db/two-factor-queries";
import { CONFIRM_IDENTITY, failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { confirmIdentity } from "@/lib/auth/confirm-identity";
import { isRecentlyAuthenticated } from "@/lib/auth/recent-auth";
import { reissueSession } from "@/lib/auth/reissue-session";
import { verifySecondFactor } from "@/lib/auth/second-factor";
import { getCurrentUser } from "@/lib/auth/session";
import { generateBackupCodes, normalizeBackupCode } from "@/lib/backup-codes";
import { backupCodeHash } from "@/lib/two-factor/secrets";
import { secondFactorFormSchema } from "@/lib/validation/two-factor";

const SIGNED_OUT = "Your session has ended. Sign in again to continue.";

/** A current second factor, checked by the one verifier (wrong ones count against the same limits). */
async function withCurrentSecondFactor(formData: FormData): Promise<ActionResult<{ userId: number }>> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT);
  const input = parseInput(secondFactorFormSchema, formFields(formData));
  if (!input.ok) return input.result;
  const outcome = verifySecondFactor(user.id, input.data);
  if (!outcome.ok) return failure(outcome.message, { code: [outcome.message] });
  return success({ userId: user.id });
}

export async function disableTwoFactorAction(formData: FormData): Promise<ActionResult> {
  const checked = await withCurrentSecondFactor(formData);
  if (checked.status !== "success") return checked;
  if (!disableTwoFactor(checked.data.userId)) return failure("Two-factor authentication is already off.");
  // Other sessions end (the version was bumped); this browser keeps a fresh one.
  await reissueSession(checked.data.userId, Date.now());
  return success(null);
}

export async function generateNewBackupCodesAction(formData: FormData): Promise<ActionResult<{ codes: string[] }>> {
  const checked = await withCurrentSecondFactor(formData);
  if (checked.status !== "success") return checked;
  const codes = generateBackupCodes();
  const hashes = codes.map((code) => backupCodeHash(normalizeBackupCode(code) ?? ""));
  if (!replaceBackupCodes(checked.data.userId, hashes, Date.now())) {
    return failure("Two-factor authentication is off, so there are no backup codes to replace.");
  }
  await reissueSession(checked.data.userId, Date.now());
  return success({ codes });
}

export async function signOutOtherSessionsAction(): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT);
  if (!isRecentlyAuthenticated(user)) {
    return failure("For your security, confirm it's you first.", undefined, CONFIRM_IDENTITY);
  }
  bumpSessionVersion(user.id);
  await reissueSession(user.id, user.authTime);
  return success(null);
}

export async function confirmIdentityAction(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT);
  return confirmIdentity(user.id, formFields(formData));
}
