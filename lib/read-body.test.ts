import { describe, expect, it } from "vitest";
import { readBodyUpTo } from "./read-body";

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
