"use client";

import type { ActionResult } from "@/lib/action-result";
import { completeSignIn } from "@/lib/auth/complete-sign-in";
import { useServerAction } from "@/components/use-server-action";

type PasswordStepData = { next: "complete" | "second-factor"; securityKey?: boolean };
type PasswordStepAction = (formData: FormData) => Promise<ActionResult<PasswordStepData>>;

/** Shared by sign-up and sign-in: run the server action, then finish or ask for the second factor. */
export function usePasswordStep(
  action: PasswordStepAction,
  callbackUrl: string,
  onSecondFactor?: (hasSecurityKey: boolean) => void,
) {
  return useServerAction(action, async (data) => {
    if (data.next === "second-factor" && onSecondFactor) return onSecondFactor(data.securityKey === true);
    const error = await completeSignIn(callbackUrl);
    if (error) return error.message;
  });
}
