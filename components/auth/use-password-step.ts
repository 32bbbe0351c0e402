"use client";

import type { ActionResult } from "@/lib/action-result";
import { completeSignIn } from "@/lib/auth/complete-sign-in";
import { useServerAction } from "@/components/use-server-action";

type PasswordStepAction = (formData: FormData) => Promise<ActionResult<{ next: "complete" }>>;

/** Shared by sign-up and sign-in: run the server action, then finish the NextAuth sign-in. */
export function usePasswordStep(action: PasswordStepAction, callbackUrl: string) {
  return useServerAction(action, async () => {
    if (!(await completeSignIn(callbackUrl))) return "Your sign-in expired. Please enter your email and password again.";
  });
}
