import { describe, expect, it } from "vitest";
import { isRecentlyAuthenticated, RECENT_AUTH_WINDOW_MS } from "./recent-auth";

describe("sudo mode", () => {
  it("trusts a sign-in (or a confirmation) from the last 10 minutes, and nothing older", () => {
    const now = Date.now();
    expect(RECENT_AUTH_WINDOW_MS).toBe(10 * 60_000);
    expect(isRecentlyAuthenticated({ id: 1, authTime: now - 9 * 60_000 }, now)).toBe(true);
    expect(isRecentlyAuthenticated({ id: 1, authTime: now - RECENT_AUTH_WINDOW_MS }, now)).toBe(true);
    expect(isRecentlyAuthenticated({ id: 1, authTime: now - RECENT_AUTH_WINDOW_MS - 1 }, now)).toBe(false);
    expect(isRecentlyAuthenticated({ id: 1, authTime: 0 }, now)).toBe(false);
  });
});
