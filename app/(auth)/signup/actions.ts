"use server";

import { createUser } from "@/db/queries";
import { failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { hashPassword } from "@/lib/auth/password";
import { openSignInChallenge } from "@/lib/auth/sign-in-challenge";
import { signUpSchema } from "@/lib/validation/account";

export async function createAccount(formData: FormData): Promise<ActionResult<{ next: "complete" }>> {
  const input = parseInput(signUpSchema, formFields(formData));
  if (!input.ok) return input.result;
  const created = createUser(input.data.email, await hashPassword(input.data.password), Date.now());
  if (created === "email-taken") {
    const message = "An account with this email already exists.";
    return failure(message, { email: [message] });
  }
  await openSignInChallenge(created.id);
  return success({ next: "complete" });
}
