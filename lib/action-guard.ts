import { NextResponse, type NextRequest } from "next/server";
import { readLimitedBody } from "./read-body";

// Next's default serverActions.bodySizeLimit: above it Next itself answers 500.
const MAX_ACTION_BODY_BYTES = 1024 * 1024;

const refuse = (message: string, status: number) => NextResponse.json({ message }, { status, headers: { "cache-control": "no-store" } });

/**
 * Server actions are public endpoints, and Next answers a cross-site, oversized or malformed
 * action request with a 500. Refuse those here with a clear 4xx before Next decodes them.
 */
export async function refuseBadActionRequest(request: NextRequest, expectedOrigin: string): Promise<NextResponse | null> {
  if (!request.headers.has("next-action")) return null;
  if (request.method !== "POST") return refuse("Server actions are called with POST.", 405);
  if (request.headers.get("origin") !== expectedOrigin) return refuse("Cross-site requests are not allowed.", 403);
  const read = await readLimitedBody(request.clone(), MAX_ACTION_BODY_BYTES);
  if (!read.ok) return refuse(read.message, read.status);
  const { body } = read;
  const type = request.headers.get("content-type") ?? "";
  const multipart = type.toLowerCase().startsWith("multipart/form-data");
  if (!multipart && !type.toLowerCase().startsWith("text/plain")) return refuse("Unsupported content type.", 415);
  let root: unknown;
  try {
    if (multipart) {
      const form = await new Response(body, { headers: { "content-type": type } }).formData();
      const field = form.get("0");
      if (typeof field !== "string") return refuse("That request is not valid.", 400);
      root = JSON.parse(field);
    } else {
      root = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    }
  } catch {
    return refuse("That request is not valid.", 400);
  }
  return Array.isArray(root) && plainReply(root, multipart) ? null : refuse("That request is not valid.", 400);
}

// The app's actions take form fields or plain values; nothing legitimate nests this deep.
const MAX_DEPTH = 32;

// React's reply format marks references with "$": these actions take FormData ($K), plain values,
// escaped strings ($$...) and undefined, and nothing else (a dangling reference is a 500 in Next).
// Walked with a stack of its own: a million nested arrays must not overflow the call stack.
function plainReply(root: unknown, multipart: boolean): boolean {
  const pending: [unknown, number][] = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value === "string" && !plainString(value, multipart)) return false;
    if (value && typeof value === "object") {
      if (depth >= MAX_DEPTH) return false;
      for (const item of Object.values(value)) pending.push([item, depth + 1]);
    }
  }
  return true;
}

function plainString(value: string, multipart: boolean): boolean {
  return !value.startsWith("$") || value.startsWith("$$") || value === "$undefined" || (multipart && /^\$K[0-9a-f]+$/.test(value));
}
