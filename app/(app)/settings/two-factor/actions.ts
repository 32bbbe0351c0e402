"use server";

import {
  cancelEnrollment,
  completeEnrollment,
  confirmEnrollment,
  getEnrollment,
  moveEnrollmentStage,
  renewPendingEnrollmentCodes,
  startEnrollment,
} from "@/db/two-factor-queries";
import { failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { confirmItsYouFirst } from "@/lib/auth/recent-auth";
import { reissueSession } from "@/lib/auth/reissue-session";
import { getCurrentUser, SIGNED_OUT_MESSAGE } from "@/lib/auth/session";
import { recordSecurityEvent, requestContext } from "@/lib/security-events";
import { generateBackupCodes } from "@/lib/backup-codes";
import { generateTotpSecret } from "@/lib/totp";
import { checkPendingSecretCode, PENDING_SECRET_TTL_MS } from "@/lib/two-factor/enrollment-code";
import { backupCodeHashes, sealTotpSecret } from "@/lib/two-factor/secrets";
import { acknowledgeSchema, codeFormSchema } from "@/lib/validation/two-factor";

const EXPIRED = "This setup has expired. Start again to get a new QR code.";

export async function beginEnrollment(): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const now = Date.now();
  const stale = confirmItsYouFirst(user, now);
  if (stale) return stale;
  const sealed = sealTotpSecret(user.id, generateTotpSecret());
  if (!startEnrollment(user.id, sealed, now, now + PENDING_SECRET_TTL_MS)) {
    return failure("Two-factor authentication is already on.");
  }
  return success(null);
}

export async function goToVerifyStep(): Promise<ActionResult> {
  return moveStage("scan", "verify");
}

export async function goBackToScanStep(): Promise<ActionResult> {
  return moveStage("verify", "scan");
}

async function moveStage(from: "scan" | "verify", to: "scan" | "verify"): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  return moveEnrollmentStage(user.id, from, to, Date.now()) ? success(null) : failure(EXPIRED);
}

export async function verifyEnrollmentCode(formData: FormData): Promise<ActionResult<{ codes: string[] }>> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const now = Date.now();
  const stale = confirmItsYouFirst(user, now);
  if (stale) return stale;
  const input = parseInput(codeFormSchema, formFields(formData));
  if (!input.ok) return input.result;
  const enrollment = getEnrollment(user.id, now);
  if (!enrollment || enrollment.stage === "codes") return failure(EXPIRED);

  const check = checkPendingSecretCode(user.id, enrollment.secretEncrypted, input.data.code, now);
  if (check.cancelled) return failure("Too many codes didn't match, so this setup was cancelled. Start again to get a new QR code.");
  if (!check.ok) return failure(check.message, { code: [check.message] });
  const codes = generateBackupCodes();
  const verified = { secretEncrypted: enrollment.secretEncrypted, step: check.step };
  if (!confirmEnrollment(user.id, verified, backupCodeHashes(codes), now, now + PENDING_SECRET_TTL_MS)) return failure(EXPIRED);
  return success({ codes });
}

/** After a reload of the last step: the codes were shown once, so a new set replaces them. */
export async function renewEnrollmentBackupCodes(): Promise<ActionResult<{ codes: string[] }>> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const stale = confirmItsYouFirst(user);
  if (stale) return stale;
  const codes = generateBackupCodes();
  return renewPendingEnrollmentCodes(user.id, backupCodeHashes(codes), Date.now()) ? success({ codes }) : failure(EXPIRED);
}

export async function acknowledgeBackupCodes(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  // Whoever turns two-factor on keeps their session and ends the others: only a recent sign-in.
  const stale = confirmItsYouFirst(user);
  if (stale) return stale;
  const input = parseInput(acknowledgeSchema, formFields(formData));
  if (!input.ok) return input.result;
  const context = await requestContext();
  const enabled = completeEnrollment(user.id, Date.now(), (tx) =>
    recordSecurityEvent(user.id, "two-factor-enabled", null, context, tx),
  );
  if (!enabled) return failure(EXPIRED);
  // Turning two-factor on ends every other session; this browser gets a fresh cookie.
  await reissueSession(user.id, user.authTime);
  return success(null);
}

export async function cancelTwoFactorSetup(): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  cancelEnrollment(user.id);
  return success(null);
}

