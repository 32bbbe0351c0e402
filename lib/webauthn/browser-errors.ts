export const NO_WEBAUTHN_MESSAGE = "This browser can't use security keys. Use your authenticator app or a backup code instead.";

/** Words for what went wrong in navigator.credentials.get()/create(), for the person holding the key. */
export function describeWebAuthnError(error: unknown, startedAt: number, timeoutMs: number): string {
  const { name, code, cause } = error as { name?: string; code?: string; cause?: { name?: string } };
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || cause?.name === "InvalidStateError") {
    return "That security key is already registered.";
  }
  const errorName = cause?.name ?? name;
  if (errorName === "NotAllowedError" || errorName === "AbortError") {
    // Browsers report a cancel and a time-out with the same error; the elapsed time tells them apart.
    return Date.now() - startedAt >= timeoutMs - 1000
      ? "The security key didn't respond in time. Try again."
      : "The security key request was cancelled. Try again when you're ready.";
  }
  return "The security key could not be used. Try again, or use your authenticator app.";
}
