/**
 * NextAuth hands an authorize() error to the browser as a single string; this is its shape.
 * "restart:" means the sign-in challenge is gone and the password form must come back.
 */
export type SignInError = { message: string; restart: boolean };

export function encodeSignInError({ message, restart }: SignInError): string {
  return `${restart ? "restart" : "retry"}:${message}`;
}

export function decodeSignInError(raw: string | null | undefined): SignInError {
  const match = raw?.match(/^(restart|retry):(.+)$/s);
  if (!match?.[2]) return { message: "Sign-in failed. Enter your email and password again.", restart: true };
  return { message: match[2], restart: match[1] === "restart" };
}
