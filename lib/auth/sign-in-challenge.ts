import "server-only";
import crypto from "node:crypto";
import { cookies } from "next/headers";
import { getSessionVersion, type SessionUser } from "@/db/queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import { consumeChallenge, createSignInChallenge, getLiveChallenge, recordChallengeFailure } from "@/db/sign-in-challenge-queries";
import { immediateTransaction } from "@/db/transaction";
import { secureCookies } from "@/lib/env";
import { recordSecurityEvent, requestContext } from "@/lib/security-events";
import { verifyAssertion } from "@/lib/webauthn/assertion";
import { checkSecondFactor, type SecondFactorInput } from "./second-factor";

export const SIGN_IN_CHALLENGE_TTL_MS = 5 * 60 * 1000;
export const CHALLENGE_FAILURE_LIMIT = 5;

export type SignInMethod = "password" | "totp" | "backup" | "webauthn";
/** What the browser sent with step 2: a code, or a security key's response as JSON. */
export type SubmittedSecondFactor = { method: "totp" | "backup" | "webauthn"; code: string };
export type ChallengeOutcome =
  | { ok: true; user: SessionUser; method: SignInMethod }
  // restart: the challenge is gone (expired, cancelled, locked): the password must be entered again.
  | { ok: false; message: string; restart: boolean };

const EXPIRED = "Your sign-in expired. Enter your email and password again.";
const CANCELLED = "Too many wrong codes. For your security, enter your email and password again.";

function cookieName(): string {
  return secureCookies() ? "__Host-sign-in-challenge" : "sign-in-challenge";
}

// Only a hash is stored, so a copy of the database holds no usable challenge.
function hashChallengeId(id: string): string {
  return crypto.createHash("sha256").update(id).digest("base64url");
}

/** Step 1 passed: remember that in the database and in an HttpOnly cookie. Issues no session. */
export async function openSignInChallenge(userId: number, now = Date.now()): Promise<void> {
  const id = crypto.randomBytes(32).toString("base64url");
  createSignInChallenge(hashChallengeId(id), userId, now, now + SIGN_IN_CHALLENGE_TTL_MS);
  (await cookies()).set(cookieName(), id, {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    path: "/",
    maxAge: SIGN_IN_CHALLENGE_TTL_MS / 1000,
  });
}

/**
 * Step 2, called only by NextAuth's credentials provider: the browser's challenge plus, when
 * two-factor is on, a valid second factor. Consumes the challenge exactly once.
 */
export async function completeSignInChallenge(
  submitted: SubmittedSecondFactor | null,
  now = Date.now(),
): Promise<ChallengeOutcome> {
  const jar = await cookies();
  const id = jar.get(cookieName())?.value;
  if (!id) return { ok: false, message: EXPIRED, restart: true };
  const idHash = hashChallengeId(id);
  const input = await toSecondFactorInput(submitted, idHash, now);
  const context = await requestContext();
  const outcome = immediateTransaction((tx): ChallengeOutcome => {
    const challenge = getLiveChallenge(idHash, now, tx);
    if (!challenge) return { ok: false, message: EXPIRED, restart: true };
    const secondFactor = getSecondFactorRecord(challenge.userId, tx);
    const method: SignInMethod = secondFactor ? (input?.method ?? "totp") : "password";
    if (method !== "password") {
      if (!input) return { ok: false, message: "Enter the code from your authenticator app.", restart: false };
      const check = checkSecondFactor(tx, challenge.userId, input, now, context, secondFactor);
      if (!check.ok) {
        if (check.lockedUntil) {
          consumeChallenge(idHash, now, tx);
          return { ok: false, message: check.message, restart: true };
        }
        const cancelled = check.counted && recordChallengeFailure(idHash, now, CHALLENGE_FAILURE_LIMIT, tx);
        return cancelled ? { ok: false, message: CANCELLED, restart: true } : { ok: false, message: check.message, restart: false };
      }
    }
    // Read in the same transaction: a revocation (which also deletes this challenge) comes wholly
    // before this sign-in or wholly after it, and then ends the session issued here too.
    const sessionVersion = getSessionVersion(challenge.userId);
    if (sessionVersion === undefined) return { ok: false, message: EXPIRED, restart: true };
    consumeChallenge(idHash, now, tx);
    recordSecurityEvent(challenge.userId, "sign-in", { method }, context, tx, now);
    return { ok: true, user: { id: challenge.userId, sessionVersion }, method };
  });
  if (outcome.ok || outcome.restart) jar.delete(cookieName());
  return outcome;
}

/** A security key's response is verified (asynchronously) before the transaction; codes as they are. */
async function toSecondFactorInput(
  submitted: SubmittedSecondFactor | null,
  idHash: string,
  now: number,
): Promise<SecondFactorInput | null> {
  if (!submitted) return null;
  if (submitted.method !== "webauthn") return { method: submitted.method, code: submitted.code };
  const challenge = getLiveChallenge(idHash, now);
  if (!challenge) return { method: "webauthn", assertion: { ok: false, message: EXPIRED } };
  return { method: "webauthn", assertion: await verifyAssertion(challenge.userId, idHash, submitted.code) };
}

/** The user of the browser's live sign-in challenge (for security-key options), or null. */
export async function currentSignInChallenge(now = Date.now()): Promise<{ idHash: string; userId: number } | null> {
  const id = (await cookies()).get(cookieName())?.value;
  if (!id) return null;
  const idHash = hashChallengeId(id);
  const challenge = getLiveChallenge(idHash, now);
  return challenge ? { idHash, userId: challenge.userId } : null;
}
