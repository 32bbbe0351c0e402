import "server-only";
import crypto from "node:crypto";
import { generateRegistrationOptions, verifyRegistrationResponse } from "@simplewebauthn/server";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { consumeWebauthnChallenge, createWebauthnChallenge, getCredentials, latestRegistrationChallenge } from "@/db/security-key-queries";
import { WEBAUTHN_TIMEOUT_MS } from "./assertion";
import { registrationResponseSchema } from "./credential-json";
import { relyingParty } from "./relying-party";

const CHALLENGE_TTL_MS = 5 * 60_000;

export type NewCredential = { credentialId: string; publicKey: string; counter: number; transports: string | null };

// A stable, opaque user handle: the key never learns the database id or the email.
function userHandle(userId: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(crypto.createHash("sha256").update(`user:${userId}`).digest().subarray(0, 16));
}

export async function registrationOptions(userId: number, email: string, now = Date.now()) {
  const rp = await relyingParty();
  const options: PublicKeyCredentialCreationOptionsJSON = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: email,
    userID: userHandle(userId),
    attestationType: "none",
    excludeCredentials: getCredentials(userId).map((key) => ({ id: key.credentialId })),
    authenticatorSelection: { residentKey: "discouraged", userVerification: "preferred" },
    timeout: WEBAUTHN_TIMEOUT_MS,
  });
  createWebauthnChallenge({ challenge: options.challenge, userId, purpose: "register", signInChallengeHash: null }, now, now + CHALLENGE_TTL_MS);
  return options;
}

const NOT_VERIFIED = "That security key could not be registered. Try again.";

/** Verifies navigator.credentials.create()'s answer against this user's live challenge, once. */
export async function verifyRegistration(
  userId: number,
  response: unknown,
  now = Date.now(),
): Promise<{ ok: true; credential: NewCredential } | { ok: false; message: string }> {
  const parsed = registrationResponseSchema.safeParse(response);
  const expectedChallenge = latestRegistrationChallenge(userId, now);
  if (!parsed.success || !expectedChallenge) return { ok: false, message: NOT_VERIFIED };
  const rp = await relyingParty();
  try {
    const result = await verifyRegistrationResponse({
      response: parsed.data,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    if (!result.verified) return { ok: false, message: NOT_VERIFIED };
    const challenge = { challenge: expectedChallenge, userId, purpose: "register" as const, signInChallengeHash: null };
    if (!consumeWebauthnChallenge(challenge, now)) return { ok: false, message: NOT_VERIFIED };
    const { credential } = result.registrationInfo;
    return {
      ok: true,
      credential: {
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString("base64url"),
        counter: credential.counter,
        transports: credential.transports ? JSON.stringify(credential.transports) : null,
      },
    };
  } catch {
    return { ok: false, message: NOT_VERIFIED };
  }
}
