"use server";

import { createUser } from "@/db/queries";
import { failure, formFields, parseInput, success, type ActionResult } from "@/lib/action-result";
import { ServerBusyError } from "@/lib/auth/hash-limiter";
import { hashPassword } from "@/lib/auth/password";
import { openSignInChallenge } from "@/lib/auth/sign-in-challenge";
import { signUpSchema } from "@/lib/validation/account";

export async function createAccount(formData: FormData): Promise<ActionResult<{ next: "complete" }>> {
  const input = parseInput(signUpSchema, formFields(formData));
  if (!input.ok) return input.result;
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(input.data.password);
  } catch (error) {
    if (error instanceof ServerBusyError) return failure("Many people are signing up right now. Please try again in a moment.");
    throw error;
  }
  const created = createUser(input.data.email, passwordHash, Date.now());
  if (created === "email-taken") {
    const message = "An account with this email already exists.";
    return failure(message, { email: [message] });
  }
  await openSignInChallenge(created.id);
  return success({ next: "complete" });
}
