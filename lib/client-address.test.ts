import { describe, expect, it } from "vitest";
import { trustedClientAddress } from "./client-address";

const request = (forwardedFor: string | undefined, socketAddress = "10.0.0.7") => ({
  headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  socket: { remoteAddress: socketAddress } as never,
});

describe("trustedClientAddress", () => {
  it("ignores a forged X-Forwarded-For when clients connect directly", () => {
    expect(trustedClientAddress(request("1.2.3.4"), 0)).toBe("10.0.0.7");
    expect(trustedClientAddress(request(undefined), 0)).toBe("10.0.0.7");
  });

  it("takes the address the trusted proxy appended, not what the client prepended", () => {
    expect(trustedClientAddress(request("6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(trustedClientAddress(request("6.6.6.6, 203.0.113.9, 10.1.1.1"), 2)).toBe("203.0.113.9");
  });

  it("falls back to the socket address when the chain is shorter than the proxies configured", () => {
    expect(trustedClientAddress(request(""), 1)).toBe("10.0.0.7");
  });
});
