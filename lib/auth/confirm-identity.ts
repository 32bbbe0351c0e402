import "server-only";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { failure, parseInput, success, type ActionResult } from "@/lib/action-result";
import { secondFactorFormSchema, confirmPasswordSchema } from "@/lib/validation/two-factor";
import { clientIp } from "./client-ip";
import { checkPasswordAgain } from "./password-step";
import { reissueSession } from "./reissue-session";
import { requestContext } from "@/lib/security-events";
import { verifySecondFactor } from "./second-factor";

const WRONG = "That password is not right.";

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
    const check = await checkPasswordAgain(userId, input.data.password, await clientIp());
    if (!check.ok) return check.wrongPassword ? failure(WRONG, { password: [WRONG] }) : failure(check.message);
  }
  await reissueSession(userId, Date.now());
  return success(null);
}
