import "server-only";
import { env } from "@/lib/env";
import { readLimitedBody } from "@/lib/read-body";

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

export function jsonError(message: string, status: number, extra: Record<string, unknown> = {}, headers?: Record<string, string>) {
  return jsonResponse({ message, ...extra }, status, headers);
}

/**
 * Refuses cross-site posts: the Origin header must be this app's own origin (from NEXTAUTH_URL,
 * or the Host header in development when NEXTAUTH_URL is not set).
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const configured = env().NEXTAUTH_URL;
  const expected = configured ? new URL(configured).origin : `${new URL(request.url).protocol}//${request.headers.get("host")}`;
  return origin === expected;
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

/** Reads a small JSON body; anything else is a clear 4xx, never a 500. */
export async function readJsonBody(request: Request, maxBytes = 16 * 1024): Promise<JsonBody> {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return { ok: false, response: jsonError("Send the form as application/json.", 415) };
  }
  const read = await readLimitedBody(request, maxBytes);
  if (!read.ok) return { ok: false, response: jsonError(read.message, read.status) };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(read.body)) };
  } catch {
    return { ok: false, response: jsonError("The request body is not valid JSON.", 400) };
  }
}
