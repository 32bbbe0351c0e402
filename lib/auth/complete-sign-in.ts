import { postCredentials } from "./nextauth-client";
import { decodeSignInError, type SignInError } from "./sign-in-errors";

export type SecondFactorAttempt = { method: "totp" | "backup" | "webauthn"; code: string };

/**
 * The browser's last step: asks NextAuth for a session against the pending sign-in challenge
 * (an HttpOnly cookie set by the server) and, when two-factor is on, the code. On success the
 * destination loads; otherwise the error says what happened and whether to start over.
 */
export async function completeSignIn(destination: string, attempt?: SecondFactorAttempt): Promise<SignInError | null> {
  const error = await postCredentials(attempt ?? {});
  if (error) return decodeSignInError(error);
  window.location.assign(destination);
  return null;
}
