// Session tokens as an attacker would make them. Only the "expired", "revoked" and "old sign-in"
// ones use the server's real secret (to show that a genuine but stale token is refused).
import crypto from "node:crypto";
import { decode, encode } from "next-auth/jwt";
import type { Server } from "./server";

export const SESSION_COOKIE = "next-auth.session-token";

export type TokenClaims = { sub: string; sv: number; authTime: number };

export function signWithOtherSecret(claims: TokenClaims): Promise<string> {
  return encode({ token: claims, secret: crypto.randomBytes(32).toString("base64url"), maxAge: 3600 });
}

export function expiredToken(server: Server, claims: TokenClaims): Promise<string> {
  return encode({ token: claims, secret: server.secrets.nextAuthSecret, maxAge: -3600 });
}

/** A genuine, unexpired token whose sign-in is as old as `claims.authTime` says. */
export function genuineToken(server: Server, claims: TokenClaims): Promise<string> {
  return encode({ token: claims, secret: server.secrets.nextAuthSecret, maxAge: 3600 });
}

/** A plain JWT with alg "none": no signature, no encryption. */
export function unsignedToken(claims: TokenClaims): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "none", typ: "JWT" })}.${part({ ...claims, iat: now, exp: now + 3600 })}.`;
}

/** The genuine token with one character of its ciphertext changed. */
export function tamperedToken(token: string): string {
  const parts = token.split(".");
  const ciphertext = parts[3] ?? "";
  const flipped = (ciphertext[0] === "A" ? "B" : "A") + ciphertext.slice(1);
  return [...parts.slice(0, 3), flipped, ...parts.slice(4)].join(".");
}

export async function readToken(server: Server, token: string): Promise<Record<string, unknown> | null> {
  return (await decode({ token, secret: server.secrets.nextAuthSecret })) as Record<string, unknown> | null;
}
