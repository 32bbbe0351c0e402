"use server";

import {
  cancelEnrollment,
  completeAuthenticatorChange,
  getEnrollment,
  recordEnrollmentFailure,
  startAuthenticatorChange,
} from "@/db/two-factor-queries";
import { CONFIRM_IDENTITY, failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { isRecentlyAuthenticated } from "@/lib/auth/recent-auth";
import { reissueSession } from "@/lib/auth/reissue-session";
import { getCurrentUser } from "@/lib/auth/session";
import { recordSecurityEvent, requestContext } from "@/lib/security-events";
import { generateTotpSecret } from "@/lib/totp";
import { checkNewAuthenticatorCode } from "@/lib/two-factor/enrollment-code";
import { openTotpSecret, sealTotpSecret } from "@/lib/two-factor/secrets";
import { codeFormSchema } from "@/lib/validation/two-factor";

const CHANGE_TTL_MS = 15 * 60 * 1000;
const MAX_ATTEMPTS = 10;
const SIGNED_OUT = "Your session has ended. Sign in again to continue.";
const EXPIRED = "This change has expired. Start again to get a new QR code.";

export async function beginAuthenticatorChangeAction(): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT);
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
  if (!user) return failure(SIGNED_OUT);
  const input = parseInput(codeFormSchema, formFields(formData));
  if (!input.ok) return input.result;
  const now = Date.now();
  const pending = getEnrollment(user.id, now, "replace");
  if (!pending) return failure(EXPIRED);
  const check = checkNewAuthenticatorCode(openTotpSecret(user.id, pending.secretEncrypted), input.data.code, now);
  if (!check.ok) {
    if (recordEnrollmentFailure(user.id) >= MAX_ATTEMPTS) {
      cancelEnrollment(user.id);
      return failure("Too many codes didn't match, so this change was cancelled. Your old app still works.");
    }
    return failure(check.message, { code: [check.message] });
  }
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
  if (!user) return failure(SIGNED_OUT);
  cancelEnrollment(user.id);
  return success(null);
}
