/**
 * A request's body, or null when it is larger than `maxBytes`: reading stops there, so a huge or
 * endless (chunked) body is never held in memory. Throws when the body cannot be read.
 */
export async function readBodyUpTo(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not awaited: cancelling one branch of a cloned body settles only once the other is too.
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

export type LimitedBody = { ok: true; body: Uint8Array<ArrayBuffer> } | { ok: false; status: 400 | 413; message: string };

/** readBodyUpTo, with the refusal every guard gives: 413 over the limit, 400 when unreadable. */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<LimitedBody> {
  try {
    const body = await readBodyUpTo(request, maxBytes);
    return body ? { ok: true, body } : { ok: false, status: 413, message: "That request is too large." };
  } catch {
    return { ok: false, status: 400, message: "The request body could not be read." };
  }
}
