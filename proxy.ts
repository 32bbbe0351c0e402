import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env, secureCookies } from "@/lib/env";
import { contentSecurityPolicy } from "@/lib/security-headers";
import { refuseBadActionRequest } from "@/lib/action-guard";

const PUBLIC_PATHS = new Set(["/login", "/signup"]);

/**
 * The fast, optimistic gate: no session cookie, no page. The real check (session version
 * against the database) is requireUser() in every page, action and route handler.
 * Also gives every response a Content-Security-Policy with a fresh nonce.
 */
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, { development: process.env.NODE_ENV !== "production", https: secureCookies() });
  const expectedOrigin = env().NEXTAUTH_URL ? new URL(env().NEXTAUTH_URL!).origin : request.nextUrl.origin;
  const response = (await refuseBadActionRequest(request, expectedOrigin)) ?? (await gate(request, csp)) ?? pass(request, csp);
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

async function gate(request: NextRequest, csp: string): Promise<NextResponse | null> {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PATHS.has(pathname)) return null;
  const token = await getToken({ req: request, secret: env().NEXTAUTH_SECRET, secureCookie: secureCookies() });
  if (token) return null;
  if (pathname.startsWith("/api/")) return NextResponse.json({ message: "Sign in first." }, { status: 401 });
  if (request.method !== "GET" && request.method !== "HEAD") {
    // A server action posted without a session: let the action answer (it checks the session itself).
    return pass(request, csp);
  }
  const loginUrl = new URL("/login", request.url);
  loginUrl.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(loginUrl);
}

/** Next.js reads the nonce from the request's CSP header and puts it on its own scripts. */
function pass(request: NextRequest, csp: string): NextResponse {
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", csp);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything except static files and the JSON endpoints that check every request themselves:
  // NextAuth's, and the password step with its security-key options (public, and the hottest
  // path under a password-guessing flood: no nonce, no header copy for a JSON answer).
  matcher: ["/((?!api/auth|api/sign-in|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
