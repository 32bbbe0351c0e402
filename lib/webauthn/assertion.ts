import "server-only";
import { generateAuthenticationOptions, verifyAuthenticationResponse } from "@simplewebauthn/server";
import type { AuthenticatorTransportFuture, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { createWebauthnChallenge, findCredential, getCredentials } from "@/db/security-key-queries";
import { authenticationResponseSchema } from "./credential-json";
import { relyingParty } from "./relying-party";

export const WEBAUTHN_TIMEOUT_MS = 60_000;
const CHALLENGE_TTL_MS = 5 * 60_000;

export type VerifiedAssertion =
  | { ok: true; userId: number; keyId: number; newCounter: number; challenge: string; signInChallengeHash: string }
  // malformed: not a security-key response at all, so it cannot be a guess and is not counted.
  | { ok: false; message: string; malformed?: true };

const NOT_VERIFIED = "That security key response could not be verified. Try again, or use your authenticator app.";

function parseTransports(raw: string | null): AuthenticatorTransportFuture[] | undefined {
  return raw ? (JSON.parse(raw) as AuthenticatorTransportFuture[]) : undefined;
}

/** Options for navigator.credentials.get(), bound to this user and this sign-in challenge. */
export async function signInOptions(userId: number, signInChallengeHash: string, now = Date.now()) {
  const rp = await relyingParty();
  const options: PublicKeyCredentialRequestOptionsJSON = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: getCredentials(userId).map((key) => ({ id: key.credentialId, transports: parseTransports(key.transports) })),
    userVerification: "preferred",
    timeout: WEBAUTHN_TIMEOUT_MS,
  });
  createWebauthnChallenge({ challenge: options.challenge, userId, purpose: "sign-in", signInChallengeHash }, now, now + CHALLENGE_TTL_MS);
  return options;
}

/**
 * Checks signature, origin, RP ID and that the key belongs to this user. The challenge and the
 * counter are only checked here; they are consumed and advanced inside the second-factor check.
 */
export async function verifyAssertion(
  userId: number,
  signInChallengeHash: string,
  responseJson: string,
): Promise<VerifiedAssertion> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(responseJson);
  } catch {
    return { ok: false, message: NOT_VERIFIED, malformed: true };
  }
  const response = authenticationResponseSchema.safeParse(parsed);
  if (!response.success) return { ok: false, message: NOT_VERIFIED, malformed: true };
  const key = findCredential(userId, response.data.id);
  if (!key) return { ok: false, message: "That security key is not registered to this account." };
  const rp = await relyingParty();
  let challenge = "";
  try {
    const result = await verifyAuthenticationResponse({
      response: response.data,
      expectedChallenge: (value) => {
        challenge = value;
        return true; // single use and binding are enforced when the challenge is consumed
      },
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: key.credentialId,
        publicKey: Buffer.from(key.publicKey, "base64url"),
        counter: key.counter,
        transports: parseTransports(key.transports),
      },
      requireUserVerification: false,
    });
    if (!result.verified) return { ok: false, message: NOT_VERIFIED };
    return { ok: true, userId, keyId: key.id, newCounter: result.authenticationInfo.newCounter, challenge, signInChallengeHash };
  } catch {
    return { ok: false, message: NOT_VERIFIED };
  }
}
