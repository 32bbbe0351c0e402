import { describe, expect, it } from "vitest";
import { readBodyUpTo, readLimitedBody } from "./read-body";

/** A chunked body (no Content-Length) that keeps producing 1 KiB chunks and counts what was pulled. */
function endlessRequest() {
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(1024).fill(97));
    },
    cancel() {
      cancelled = true;
    },
  });
  const request = new Request("http://localhost/", { method: "POST", body, duplex: "half" } as RequestInit);
  return { request, pulled: () => pulled, cancelled: () => cancelled };
}

describe("readBodyUpTo", () => {
  it("returns the body when it fits", async () => {
    const request = new Request("http://localhost/", { method: "POST", body: "hello" });
    expect(new TextDecoder().decode((await readBodyUpTo(request, 5)) ?? new Uint8Array())).toBe("hello");
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const request = new Request("http://localhost/", { method: "POST", body: "x".repeat(10), headers: { "content-length": "10" } });
    expect(await readBodyUpTo(request, 5)).toBeNull();
    expect(request.bodyUsed).toBe(false);
  });

  it("stops reading an endless chunked body at the limit", async () => {
    const endless = endlessRequest();
    expect(await readBodyUpTo(endless.request, 64 * 1024)).toBeNull();
    expect(endless.cancelled()).toBe(true);
    expect(endless.pulled()).toBeLessThan(80);
  });

  it("reads no body as empty", async () => {
    expect(await readBodyUpTo(new Request("http://localhost/", { method: "POST" }), 10)).toEqual(new Uint8Array());
  });
});

describe("readBodyUpTo on a clone (as the guards read a body the framework reads again)", () => {
  it("returns at the limit even though the original body is never read", async () => {
    const endless = endlessRequest();
    const outcome = await Promise.race([
      readBodyUpTo(endless.request.clone(), 64 * 1024),
      new Promise((resolve) => setTimeout(() => resolve("hung"), 2000)),
    ]);
    expect(outcome).toBeNull();
  });
});

describe("readLimitedBody", () => {
  it("gives the body within the limit", async () => {
    const read = await readLimitedBody(new Request("http://localhost/", { method: "POST", body: "hello" }), 5);
    expect(read.ok && new TextDecoder().decode(read.body)).toBe("hello");
  });

  it("refuses a body over the limit with 413", async () => {
    const read = await readLimitedBody(endlessRequest().request, 64 * 1024);
    expect(read).toEqual({ ok: false, status: 413, message: "That request is too large." });
  });

  it("refuses a body that breaks off with 400", async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("connection reset"));
      },
    });
    const request = new Request("http://localhost/", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(await readLimitedBody(request, 1024)).toEqual({ ok: false, status: 400, message: "The request body could not be read." });
  });
});
