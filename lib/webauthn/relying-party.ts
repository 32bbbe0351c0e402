import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";

export type RelyingParty = { id: string; name: string; origin: string };

/** From WEBAUTHN_RP_ID / WEBAUTHN_ORIGIN, else NEXTAUTH_URL, else (development) the request's host. */
export async function relyingParty(): Promise<RelyingParty> {
  const { WEBAUTHN_RP_ID, WEBAUTHN_ORIGIN, NEXTAUTH_URL, APP_NAME } = env();
  let origin = WEBAUTHN_ORIGIN ?? (NEXTAUTH_URL ? new URL(NEXTAUTH_URL).origin : undefined);
  if (!origin) {
    const requestHeaders = await headers();
    const proto = requestHeaders.get("x-forwarded-proto") ?? "http";
    origin = `${proto}://${requestHeaders.get("host") ?? "localhost:3000"}`;
  }
  return { id: WEBAUTHN_RP_ID ?? new URL(origin).hostname, name: APP_NAME, origin };
}
