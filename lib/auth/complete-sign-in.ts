import { signIn } from "next-auth/react";

/**
 * The browser's last step: asks NextAuth for a session against the pending sign-in
 * challenge (an HttpOnly cookie set by the server), then loads the destination.
 */
export async function completeSignIn(callbackUrl: string): Promise<boolean> {
  const result = await signIn("credentials", { redirect: false });
  if (!result?.ok || result.error) return false;
  window.location.assign(callbackUrl);
  return true;
}
