import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env, secureCookies } from "@/lib/env";

const PUBLIC_PATHS = new Set(["/login", "/signup", "/api/sign-in"]);

/**
 * The fast, optimistic gate: no session cookie, no page. The real check (session version
 * against the database) is requireUser() in every page, action and route handler.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PATHS.has(pathname)) return NextResponse.next();
  const token = await getToken({ req: request, secret: env().NEXTAUTH_SECRET, secureCookie: secureCookies() });
  if (token) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  }
  const loginUrl = new URL("/login", request.url);
  loginUrl.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(loginUrl);
}

export const config = {
  // Everything except NextAuth's own endpoints and static files.
  matcher: ["/((?!api/auth|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
