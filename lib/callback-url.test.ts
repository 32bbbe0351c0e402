import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it("keeps same-site paths", () => {
    expect(safeCallbackUrl("/settings")).toBe("/settings");
    expect(safeCallbackUrl("/settings?tab=1")).toBe("/settings?tab=1");
  });

  it.each([
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\t\\evil.example",
    "javascript:alert(1)",
    "",
    null,
    undefined,
  ])(
    "refuses %s",
    (raw) => {
      expect(safeCallbackUrl(raw)).toBe("/");
    },
  );

  it("returns the path as a browser resolves it, so what was checked is where it goes", () => {
    expect(safeCallbackUrl("/settings/../settings/two-factor")).toBe("/settings/two-factor");
    expect(safeCallbackUrl("/settings\t/x")).toBe("/settings/x");
    expect(safeCallbackUrl("/a b#c")).toBe("/a%20b#c");
  });

  it("does not send a signed-in user back to the sign-in pages", () => {
    expect(safeCallbackUrl("/login?callbackUrl=/x")).toBe("/");
    expect(safeCallbackUrl("/api/auth/signout")).toBe("/");
    expect(safeCallbackUrl("/settings/../login")).toBe("/");
  });
});
