import { parseInput } from "@/lib/action-result";
import { clientIp } from "@/lib/auth/client-ip";
import { checkPasswordStep } from "@/lib/auth/password-step";
import { openSignInChallenge } from "@/lib/auth/sign-in-challenge";
import { isSameOrigin, jsonError, jsonResponse, readJsonBody } from "@/lib/http";
import { signInSchema } from "@/lib/validation/account";

/**
 * Step 1 of signing in: email and password. Opens a sign-in challenge (an HttpOnly cookie);
 * never a session. A route handler rather than a server action so it can answer 401 and 429.
 */
export async function POST(request: Request) {
  if (!isSameOrigin(request)) return jsonError("Cross-site requests are not allowed.", 403);
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const input = parseInput(signInSchema, body.value);
  if (!input.ok) return jsonError(input.result.message, 400, { fieldErrors: input.result.fieldErrors });
  const outcome = await checkPasswordStep(input.data.email, input.data.password, await clientIp());
  if (!outcome.ok) {
    if (outcome.retryAfterMs === undefined) return jsonError(outcome.message, 401);
    return jsonError(outcome.message, 429, {}, { "retry-after": String(Math.ceil(outcome.retryAfterMs / 1000)) });
  }
  await openSignInChallenge(outcome.userId);
  return jsonResponse({
    next: outcome.secondFactorRequired ? "second-factor" : "complete",
    securityKey: outcome.hasSecurityKey,
  });
}
