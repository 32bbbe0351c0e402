"use server";

import { failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { clientIp } from "@/lib/auth/client-ip";
import { checkPasswordStep } from "@/lib/auth/password-step";
import { openSignInChallenge } from "@/lib/auth/sign-in-challenge";
import { signInSchema } from "@/lib/validation/account";

export type PasswordStepResult = ActionResult<{ next: "complete" | "second-factor" }>;

/** Step 1: the password. Opens a sign-in challenge; never a session (NextAuth issues that). */
export async function submitPassword(formData: FormData): Promise<PasswordStepResult> {
  const input = parseInput(signInSchema, formFields(formData));
  if (!input.ok) return input.result;
  const outcome = await checkPasswordStep(input.data.email, input.data.password, await clientIp());
  if (!outcome.ok) return failure(outcome.message);
  await openSignInChallenge(outcome.userId);
  return success({ next: outcome.secondFactorRequired ? "second-factor" : "complete" });
}
