import "server-only";
import { encode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { getSessionVersion } from "@/db/queries";
import { env, secureCookies } from "@/lib/env";
import { authOptions } from "./options";

/**
 * Writes a fresh session cookie for this browser with the user's current session version.
 * Used after a change that bumps the version (other sessions end, this one stays) and after
 * the password is confirmed again (authTime restarts the 10-minute window for sensitive steps).
 */
export async function reissueSession(userId: number, authTime: number): Promise<void> {
  const sessionVersion = getSessionVersion(userId);
  if (sessionVersion === undefined) return;
  const maxAge = authOptions().session?.maxAge ?? 14 * 24 * 60 * 60;
  const token = await encode({
    token: { sub: String(userId), sv: sessionVersion, authTime },
    secret: env().NEXTAUTH_SECRET,
    maxAge,
  });
  const secure = secureCookies();
  (await cookies()).set(secure ? "__Secure-next-auth.session-token" : "next-auth.session-token", token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge,
  });
}
