"use client";

import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { completeSignIn } from "@/lib/auth/complete-sign-in";
import type { SignInError } from "@/lib/auth/sign-in-errors";
import { describeWebAuthnError, NO_WEBAUTHN_MESSAGE } from "@/lib/webauthn/browser-errors";

/** Asks the key to sign this sign-in's challenge, then completes the NextAuth second step with it. */
export async function signInWithSecurityKey(destination: string): Promise<SignInError | null> {
  if (!browserSupportsWebAuthn()) return { message: NO_WEBAUTHN_MESSAGE, restart: false };
  const response = await fetch("/api/sign-in/security-key", { method: "POST" });
  const body = (await response.json().catch(() => ({}))) as { options?: PublicKeyCredentialRequestOptionsJSON; message?: string };
  if (!response.ok || !body.options) {
    return { message: body.message ?? "Your sign-in expired. Enter your email and password again.", restart: response.status === 401 };
  }
  const startedAt = Date.now();
  try {
    const assertion = await startAuthentication({ optionsJSON: body.options });
    return completeSignIn(destination, { method: "webauthn", code: JSON.stringify(assertion) });
  } catch (error) {
    return { message: describeWebAuthnError(error, startedAt, body.options.timeout ?? 60_000), restart: false };
  }
}
