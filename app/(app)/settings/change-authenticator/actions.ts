"use server";

import {
  cancelEnrollment,
  completeAuthenticatorChange,
  getEnrollment,
  startAuthenticatorChange,
} from "@/db/two-factor-queries";
import { failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { confirmItsYouFirst } from "@/lib/auth/recent-auth";
import { reissueSession } from "@/lib/auth/reissue-session";
import { getCurrentUser, SIGNED_OUT_MESSAGE } from "@/lib/auth/session";
import { recordSecurityEvent, requestContext } from "@/lib/security-events";
import { generateTotpSecret } from "@/lib/totp";
import { checkPendingSecretCode, PENDING_SECRET_TTL_MS } from "@/lib/two-factor/enrollment-code";
import { sealTotpSecret } from "@/lib/two-factor/secrets";
import { codeFormSchema } from "@/lib/validation/two-factor";

const EXPIRED = "This change has expired. Start again to get a new QR code.";

export async function beginAuthenticatorChangeAction(): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const now = Date.now();
  const stale = confirmItsYouFirst(user, now);
  if (stale) return stale;
  const sealed = sealTotpSecret(user.id, generateTotpSecret());
  if (!startAuthenticatorChange(user.id, sealed, now, now + PENDING_SECRET_TTL_MS)) {
    return failure("Two-factor authentication is off. Turn it on first.");
  }
  return success(null);
}

export async function verifyNewAuthenticatorAction(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const now = Date.now();
  const stale = confirmItsYouFirst(user, now);
  if (stale) return stale;
  const input = parseInput(codeFormSchema, formFields(formData));
  if (!input.ok) return input.result;
  const pending = getEnrollment(user.id, now, "replace");
  if (!pending) return failure(EXPIRED);
  const check = checkPendingSecretCode(user.id, pending.secretEncrypted, input.data.code, now);
  if (check.cancelled) return failure("Too many codes didn't match, so this change was cancelled. Your old app still works.");
  if (!check.ok) return failure(check.message, { code: [check.message] });
  const context = await requestContext();
  const verified = { secretEncrypted: pending.secretEncrypted, step: check.step };
  const changed = completeAuthenticatorChange(user.id, verified, now, (tx) =>
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
