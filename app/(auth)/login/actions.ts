"use server";

import { findPasswordHashByEmail } from "@/db/queries";
import { failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { verifyPassword } from "@/lib/auth/password";
import { openSignInChallenge } from "@/lib/auth/sign-in-challenge";
import { signInSchema } from "@/lib/validation/account";

export type PasswordStepResult = ActionResult<{ next: "complete" }>;

export async function submitPassword(formData: FormData): Promise<PasswordStepResult> {
  const input = parseInput(signInSchema, formFields(formData));
  if (!input.ok) return input.result;
  const account = findPasswordHashByEmail(input.data.email);
  const passwordMatches = await verifyPassword(account?.passwordHash, input.data.password);
  if (!account || !passwordMatches) return failure("Incorrect email or password.");
  await openSignInChallenge(account.id);
  return success({ next: "complete" });
}
