import "server-only";
import crypto from "node:crypto";
import { cookies } from "next/headers";
import { consumeSignInChallenge, createSignInChallenge, type SessionUser } from "@/db/queries";
import { secureCookies } from "@/lib/env";

export const SIGN_IN_CHALLENGE_TTL_MS = 5 * 60 * 1000;

function cookieName(): string {
  return secureCookies() ? "__Host-sign-in-challenge" : "sign-in-challenge";
}

// Only a hash is stored, so a copy of the database holds no usable challenge.
export function hashChallengeId(id: string): string {
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

export async function readSignInChallengeHash(): Promise<string | null> {
  const id = (await cookies()).get(cookieName())?.value;
  return id ? hashChallengeId(id) : null;
}

export async function clearSignInChallengeCookie(): Promise<void> {
  (await cookies()).delete(cookieName());
}

/** Consumes the browser's challenge; returns the user it was opened for, once. */
export async function takeSignInChallenge(now = Date.now()): Promise<SessionUser | null> {
  const idHash = await readSignInChallengeHash();
  if (!idHash) return null;
  const user = consumeSignInChallenge(idHash, now);
  await clearSignInChallengeCookie();
  return user;
}
