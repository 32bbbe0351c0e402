import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const production = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
  ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
  NEXTAUTH_URL: "https://app.example.com",
  SMTP_URL: "smtp://mail.example.com:587",
};

function problems(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
    return "";
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
}

describe("parseEnv", () => {
  it("accepts a complete production configuration", () => {
    expect(problems(production)).toBe("");
    expect(problems({ ...production, SMTP_URL: undefined, EMAIL_OUTBOX_DIR: "/var/mail/app" })).toBe("");
    expect(problems({ ...production, ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64url") })).toBe("");
  });

  it("refuses production without its public address, so origins never follow the Host header", () => {
    expect(problems({ ...production, NEXTAUTH_URL: undefined })).toMatch(/NEXTAUTH_URL: is required in production/);
  });

  it("refuses production with nowhere chosen for the security emails", () => {
    expect(problems({ ...production, SMTP_URL: undefined })).toMatch(/SMTP_URL: is required in production/);
  });

  it.each([
    // 43 valid characters decode to 32 bytes; Node's decoder skips the rest, so a length check alone passes these.
    ["junk after a key", `${crypto.randomBytes(32).toString("base64").slice(0, 43)}!!!`],
    ["spaces inside a key", ` ${crypto.randomBytes(32).toString("base64").slice(0, 20)} ${crypto.randomBytes(32).toString("base64").slice(20, 43)}`],
    ["31 bytes", crypto.randomBytes(31).toString("base64")],
    ["33 bytes", crypto.randomBytes(33).toString("base64")],
  ])("refuses an encryption key with %s", (_, key) => {
    expect(problems({ ...production, ENCRYPTION_KEY: key })).toMatch(/ENCRYPTION_KEY: must be 32 random bytes/);
  });

  it("needs neither address nor mail settings in development", () => {
    expect(problems({ ...production, NODE_ENV: "development", NEXTAUTH_URL: undefined, SMTP_URL: undefined })).toBe("");
  });
});
