import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { isSameOrigin, jsonError } from "@/lib/http";
import { readLimitedBody } from "@/lib/read-body";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

const MAX_BODY_BYTES = 64 * 1024;

function handler(request: Request, context: RouteContext) {
  return NextAuth(request as never, context as never, authOptions());
}

/** NextAuth checks its csrf token but not the origin, and answers malformed JSON with a 500. */
async function post(request: Request, context: RouteContext) {
  // NextAuth's client-log endpoint (open to anyone, no csrf token) would write their text into our logs.
  if ((await context.params).nextauth[0] === "_log") return jsonError("Not found.", 404);
  if (!isSameOrigin(request)) return jsonError("Cross-site requests are not allowed.", 403);
  const type = request.headers.get("content-type")?.toLowerCase() ?? "";
  const json = type.startsWith("application/json");
  if (!json && !type.startsWith("application/x-www-form-urlencoded")) return jsonError("Unsupported content type.", 415);
  const read = await readLimitedBody(request.clone(), MAX_BODY_BYTES);
  if (!read.ok) return jsonError(read.message, read.status);
  if (json) {
    try {
      JSON.parse(new TextDecoder().decode(read.body));
    } catch {
      return jsonError("The request body is not valid JSON.", 400);
    }
  }
  return handler(request, context);
}

export { handler as GET, post as POST };
