import { describe, expect, it } from "vitest";
import { MAX_CONCURRENT_HASHES, ServerBusyError, withHashSlot } from "./hash-limiter";

describe("withHashSlot", () => {
  it("refuses at once beyond the cap instead of queueing, and frees slots afterwards", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = Array.from({ length: MAX_CONCURRENT_HASHES }, () => withHashSlot(() => gate));
    await expect(withHashSlot(async () => "late")).rejects.toBeInstanceOf(ServerBusyError);
    release();
    await Promise.all(running);
    await expect(withHashSlot(async () => "now")).resolves.toBe("now");
  });
});
