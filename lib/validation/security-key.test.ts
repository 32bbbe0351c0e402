import { describe, expect, it } from "vitest";
import { securityKeyName } from "./security-key";

describe("securityKeyName", () => {
  it.each(["YubiKey 5", "Clé de travail", "会社のキー", "Phone (Pixel 8) — work", "🔑 Home"])("accepts %s", (name) => {
    expect(securityKeyName.parse(`  ${name}  `)).toBe(name);
  });

  it.each([
    ["a newline", "YubiKey”.\n\nNothing to do."],
    ["a terminal escape", "\u001b[8mhidden"],
    ["a right-to-left override", "key\u202Egnp.exe"],
    ["a zero-width joiner", "Yubi\u200DKey"],
    ["a null byte", "key\u0000"],
    ["a line separator", "key\u2028two"],
  ])("refuses %s", (_, name) => {
    expect(securityKeyName.safeParse(name).success).toBe(false);
  });

  it("refuses empty and over-long names", () => {
    expect(securityKeyName.safeParse("   ").success).toBe(false);
    expect(securityKeyName.safeParse("k".repeat(65)).success).toBe(false);
  });
});
