import type { ActionResult, FieldErrors } from "@/lib/action-result";

export type PasswordStepData = { next: "complete" | "second-factor"; securityKey?: boolean };
type PasswordStepResponse = Partial<PasswordStepData> & { message?: string; fieldErrors?: FieldErrors };

/** Posts the password step to /api/sign-in and reads its answer as an action result. */
export async function submitPassword(formData: FormData): Promise<ActionResult<PasswordStepData>> {
  const response = await fetch("/api/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: formData.get("email"), password: formData.get("password") }),
  });
  const body = (await response.json().catch(() => ({}))) as PasswordStepResponse;
  if (response.ok && body.next) return { status: "success", data: { next: body.next, securityKey: body.securityKey === true } };
  return {
    status: "error",
    message: body.message ?? "Something went wrong on our side. Please try again.",
    fieldErrors: body.fieldErrors,
  };
}
