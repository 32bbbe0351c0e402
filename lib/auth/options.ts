import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getSessionVersion } from "@/db/queries";
import { env, secureCookies } from "@/lib/env";
import { completeSignInChallenge } from "./sign-in-challenge";
import { encodeSignInError } from "./sign-in-errors";

const secondFactorCredentials = z.object({
  method: z.enum(["totp", "backup", "webauthn"]).default("totp"),
  // A security key's response is JSON of a few hundred bytes; codes are short.
  code: z.string().max(16_384).optional(),
});

class SessionRevokedError extends Error {
  name = "SessionRevokedError";
}

let cached: NextAuthOptions | undefined;

/** Built on first use, not at import, so `next build` needs no secrets. */
export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 14 * 24 * 60 * 60 },
    useSecureCookies: secureCookies(),
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Challenge",
        // The password was checked by the sign-in action, which opened a challenge. This provider
        // accepts only that challenge plus, when two-factor is on, a valid second factor: sending
        // the password here does nothing, and no request can skip a step.
        credentials: { method: { type: "text" }, code: { type: "text" } },
        async authorize(credentials) {
          const parsed = secondFactorCredentials.safeParse(credentials ?? {});
          if (!parsed.success) throw new Error(encodeSignInError({ message: "That code is not valid.", restart: false }));
          const { method, code } = parsed.data;
          const outcome = await completeSignInChallenge(code ? { method, code } : null);
          if (!outcome.ok) throw new Error(encodeSignInError(outcome));
          return { id: String(outcome.user.id), sessionVersion: outcome.user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) return { sub: user.id, sv: user.sessionVersion, authTime: Date.now() };
        // Data sent to the session-update endpoint is ignored on purpose: only the server sets these.
        const current = token.sub ? getSessionVersion(Number(token.sub)) : undefined;
        if (current === undefined || current !== token.sv) throw new SessionRevokedError("session revoked");
        return { sub: token.sub, sv: token.sv, authTime: token.authTime };
      },
      async session({ session, token }) {
        return { expires: session.expires, user: { id: token.sub ?? "" }, authTime: token.authTime ?? 0 };
      },
    },
    logger: {
      error(code, metadata) {
        const error = (metadata as { error?: Error } | undefined)?.error ?? metadata;
        if (error instanceof Error && error.name === "SessionRevokedError") return;
        console.error(`[auth] ${code}`, error instanceof Error ? error.message : "");
      },
      warn(code) {
        if (code !== "NEXTAUTH_URL") console.warn(`[auth] ${code}`);
      },
      debug() {},
    },
  };
  return cached;
}
