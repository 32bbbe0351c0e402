import { describe, expect, it } from "vitest";
import { backupCodesFile } from "./backup-codes-file";

describe("backupCodesFile", () => {
  it("names the file after the app and holds the account, the date and every code", () => {
    const codes = ["abcde-fghjk", "01234-56789"];
    const file = backupCodesFile("Acme & Co", "ann@example.com", codes, new Date("2026-12-03T10:00:00Z"));
    expect(file.fileName).toBe("acme-co-backup-codes.txt");
    expect(file.contents).toContain("Acme & Co backup codes");
    expect(file.contents).toContain("Account: ann@example.com");
    expect(file.contents).toContain("Generated: 2026-12-03");
    for (const code of codes) expect(file.contents).toContain(`\n${code}\n`);
  });
});
