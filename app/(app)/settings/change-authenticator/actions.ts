"use server";

import {
  cancelEnrollment,
  completeAuthenticatorChange,
  getEnrollment,
  startAuthenticatorChange,
} from "@/db/two-factor-queries";
import { CONFIRM_IDENTITY, failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { isRecentlyAuthenticated } from "@/lib/auth/recent-auth";
import { reissueSession } from "@/lib/auth/reissue-session";
import { getCurrentUser, SIGNED_OUT_MESSAGE } from "@/lib/auth/session";
import { recordSecurityEvent, requestContext } from "@/lib/security-events";
import { generateTotpSecret } from "@/lib/totp";
import { checkPendingSecretCode } from "@/lib/two-factor/enrollment-code";
import { sealTotpSecret } from "@/lib/two-factor/secrets";
import { codeFormSchema } from "@/lib/validation/two-factor";

const CHANGE_TTL_MS = 15 * 60 * 1000;
const EXPIRED = "This change has expired. Start again to get a new QR code.";

export async function beginAuthenticatorChangeAction(): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const now = Date.now();
  if (!isRecentlyAuthenticated(user, now)) {
    return failure("For your security, confirm it's you first.", undefined, CONFIRM_IDENTITY);
  }
  const sealed = sealTotpSecret(user.id, generateTotpSecret());
  if (!startAuthenticatorChange(user.id, sealed, now, now + CHANGE_TTL_MS)) {
    return failure("Two-factor authentication is off. Turn it on first.");
  }
  return success(null);
}

export async function verifyNewAuthenticatorAction(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const input = parseInput(codeFormSchema, formFields(formData));
  if (!input.ok) return input.result;
  const now = Date.now();
  const pending = getEnrollment(user.id, now, "replace");
  if (!pending) return failure(EXPIRED);
  const check = checkPendingSecretCode(user.id, pending.secretEncrypted, input.data.code, now);
  if (check.cancelled) return failure("Too many codes didn't match, so this change was cancelled. Your old app still works.");
  if (!check.ok) return failure(check.message, { code: [check.message] });
  const context = await requestContext();
  const changed = completeAuthenticatorChange(user.id, check.step, now, (tx) =>
    recordSecurityEvent(user.id, "authenticator-changed", null, context, tx),
  );
  if (!changed) return failure(EXPIRED);
  await reissueSession(user.id, user.authTime);
  return success(null);
}

export async function cancelAuthenticatorChangeAction(): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  cancelEnrollment(user.id);
  return success(null);
}
