"use server";

import { z } from "zod";
import { getAccount } from "@/db/queries";
import { insertSecurityKey, removeSecurityKey, renameSecurityKey } from "@/db/security-key-queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { confirmItsYouFirst } from "@/lib/auth/recent-auth";
import { reissueSession } from "@/lib/auth/reissue-session";
import { changeWithCode } from "@/lib/auth/change-with-code";
import { getCurrentUser, SIGNED_OUT_MESSAGE } from "@/lib/auth/session";
import { recordSecurityEvent, requestContext } from "@/lib/security-events";
import { registrationOptions, verifyRegistration } from "@/lib/webauthn/registration";
import { securityKeyId, securityKeyName } from "@/lib/validation/security-key";
import { secondFactorFormSchema } from "@/lib/validation/two-factor";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";

export async function startSecurityKeyRegistrationAction(): Promise<ActionResult<{ options: PublicKeyCredentialCreationOptionsJSON }>> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  if (!getSecondFactorRecord(user.id)) return failure("Turn on two-factor authentication first.");
  const stale = confirmItsYouFirst(user);
  if (stale) return stale;
  const account = getAccount(user.id);
  if (!account) return failure(SIGNED_OUT_MESSAGE);
  return success({ options: await registrationOptions(user.id, account.email) });
}

export async function finishSecurityKeyRegistrationAction(input: { name: unknown; response: unknown }): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  // Like starting: a registration begun by a recent sign-in is not finished by an older one.
  const stale = confirmItsYouFirst(user);
  if (stale) return stale;
  const name = parseInput(z.object({ name: securityKeyName }), { name: input?.name });
  if (!name.ok) return name.result;
  const verified = await verifyRegistration(user.id, input?.response);
  if (!verified.ok) return failure(verified.message);
  const context = await requestContext();
  const inserted = insertSecurityKey({ userId: user.id, name: name.data.name, ...verified.credential }, Date.now(), (tx) =>
    recordSecurityEvent(user.id, "security-key-added", { name: name.data.name }, context, tx),
  );
  if (inserted === "duplicate") return failure("That security key is already registered.");
  if (inserted === "two-factor-off") return failure("Two-factor authentication is off. Turn it on before adding a security key.");
  await reissueSession(user.id, user.authTime);
  return success(null);
}

export async function renameSecurityKeyAction(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const input = parseInput(z.object({ keyId: securityKeyId, name: securityKeyName }), formFields(formData));
  if (!input.ok) return input.result;
  return renameSecurityKey(user.id, input.data.keyId, input.data.name) ? success(null) : failure("That key was not found.");
}

export async function removeSecurityKeyAction(formData: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return failure(SIGNED_OUT_MESSAGE);
  const input = parseInput(secondFactorFormSchema.extend({ keyId: securityKeyId }), formFields(formData));
  if (!input.ok) return input.result;
  const { method, code, keyId } = input.data;
  const removed = await changeWithCode(
    user.id,
    { method, code },
    (context) => removeSecurityKey(user.id, keyId, (tx, name) => recordSecurityEvent(user.id, "security-key-removed", { name }, context, tx)) !== null,
    "That key was not found.",
  );
  if (removed.status !== "success") return removed;
  await reissueSession(user.id, Date.now());
  return success(null);
}
