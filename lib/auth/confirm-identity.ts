import "server-only";
import { getPasswordHash } from "@/db/queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { failure, parseInput, success, type ActionResult } from "@/lib/action-result";
import { secondFactorFormSchema, confirmPasswordSchema } from "@/lib/validation/two-factor";
import { verifyPassword } from "./password";
import { reissueSession } from "./reissue-session";
import { requestContext } from "@/lib/security-events";
import { verifySecondFactor } from "./second-factor";

/**
 * Sudo mode: proves the person at the keyboard is the account holder again, with a current
 * second factor when two-factor is on (else the password), and restarts the 10-minute window.
 */
export async function confirmIdentity(userId: number, fields: Record<string, string>): Promise<ActionResult> {
  if (getSecondFactorRecord(userId)) {
    const input = parseInput(secondFactorFormSchema, fields);
    if (!input.ok) return input.result;
    const outcome = verifySecondFactor(userId, input.data, Date.now(), await requestContext());
    if (!outcome.ok) return failure(outcome.message, { code: [outcome.message] });
  } else {
    const input = parseInput(confirmPasswordSchema, fields);
    if (!input.ok) return input.result;
    if (!(await verifyPassword(getPasswordHash(userId), input.data.password))) {
      return failure("That password is not right.", { password: ["That password is not right."] });
    }
  }
  await reissueSession(userId, Date.now());
  return success(null);
}
