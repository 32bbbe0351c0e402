import { describe, expect, it } from "vitest";
import { SECURITY_EVENT_KINDS } from "@/db/schema";
import { describeSecurityEvent, describeUserAgent, SUPPORT_USER_AGENT } from "./security-event-labels";

describe("security event labels", () => {
  it("say how a sign-in happened", () => {
    expect(describeSecurityEvent("sign-in", { method: "backup" })).toBe("Signed in (backup code)");
    expect(describeSecurityEvent("sign-in", { method: "webauthn" })).toBe("Signed in (security key)");
    expect(describeSecurityEvent("sign-in", { method: "password" })).toBe("Signed in (password only)");
  });

  it("describe every kind", () => {
    for (const kind of SECURITY_EVENT_KINDS) expect(describeSecurityEvent(kind, null)).toMatch(/\w/);
  });

  it("summarise a user agent", () => {
    const chromeLinux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
    expect(describeUserAgent(chromeLinux)).toBe("Chrome on Linux");
    expect(describeUserAgent(null)).toBe("unknown device");
    expect(describeUserAgent(SUPPORT_USER_AGENT)).toBe("Support (admin command)");
  });
});
