import "server-only";
import { failure, success, type ActionResult } from "@/lib/action-result";
import { requestContext, type RequestContext } from "@/lib/security-events";
import { changeWithSecondFactor, type SecondFactorInput } from "./second-factor";

type Code = Extract<SecondFactorInput, { method: "totp" | "backup" }>;

/**
 * For actions: a change allowed by the user's current code or a backup code (changeWithSecondFactor),
 * answered as a form result. `change` returns false when there is nothing to change.
 */
export async function changeWithCode(
  userId: number,
  code: Code,
  change: (context: RequestContext) => boolean,
  nothingToChange: string,
): Promise<ActionResult> {
  const context = await requestContext();
  const outcome = changeWithSecondFactor(userId, code, () => change(context), Date.now(), context);
  if (outcome.ok) return success(null);
  if ("nothingToChange" in outcome) return failure(nothingToChange);
  return failure(outcome.message, { code: [outcome.message] });
}
