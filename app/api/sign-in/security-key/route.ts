import { currentSignInChallenge } from "@/lib/auth/sign-in-challenge";
import { isSameOrigin, jsonError, jsonResponse } from "@/lib/http";
import { signInOptions } from "@/lib/webauthn/assertion";

/** Options for "Use your security key": only for a browser that passed the password step. */
export async function POST(request: Request) {
  if (!isSameOrigin(request)) return jsonError("Cross-site requests are not allowed.", 403);
  const challenge = await currentSignInChallenge();
  if (!challenge) return jsonError("Your sign-in expired. Enter your email and password again.", 401);
  return jsonResponse({ options: await signInOptions(challenge.userId, challenge.idHash) });
}
