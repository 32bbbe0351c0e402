"use client";

import type { ActionResult } from "@/lib/action-result";
import { completeSignIn } from "@/lib/auth/complete-sign-in";
import { useServerAction } from "@/components/use-server-action";

type PasswordStepAction = (formData: FormData) => Promise<ActionResult<{ next: "complete" | "second-factor" }>>;

/** Shared by sign-up and sign-in: run the server action, then finish or ask for the second factor. */
export function usePasswordStep(action: PasswordStepAction, callbackUrl: string, onSecondFactor?: () => void) {
  return useServerAction(action, async (data) => {
    if (data.next === "second-factor" && onSecondFactor) return onSecondFactor();
    const error = await completeSignIn(callbackUrl);
    if (error) return error.message;
  });
}
