// The 10-minute window for sensitive changes, without waiting 10 minutes: the browser's genuine
// session cookie is re-issued with an older sign-in time, signed with the server's own secret
// (which e2e/run-all.mjs hands to the tests as it hands it to the server).
import type { BrowserContext } from "@playwright/test";
import { decode, encode } from "next-auth/jwt";
import { expect } from "./fixtures";
import { SESSION_COOKIE } from "./sign-in-helpers";

export async function ageSignIn(context: BrowserContext, minutes: number): Promise<void> {
  const secret = process.env.NEXTAUTH_SECRET ?? "";
  expect(secret, "NEXTAUTH_SECRET is set by e2e/run-all.mjs").not.toBe("");
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(cookie, "a session cookie").toBeDefined();
  const claims = await decode({ token: cookie?.value ?? "", secret });
  expect(claims?.sub, "the session cookie decodes").toBeTruthy();
  const token = await encode({ token: { ...claims, authTime: Date.now() - minutes * 60_000 }, secret, maxAge: 3600 });
  await context.addCookies([{ ...cookie!, value: token }]);
}
