import { describe, expect, it } from "vitest";
import { decodeSignInError, encodeSignInError } from "./sign-in-errors";

describe("sign-in errors", () => {
  it("round-trip a message and whether the password form must come back", () => {
    const error = { message: "That code was already used: wait.", restart: false };
    expect(decodeSignInError(encodeSignInError(error))).toEqual(error);
    expect(decodeSignInError(encodeSignInError({ ...error, restart: true })).restart).toBe(true);
  });

  it("treat anything unknown (NextAuth's own CredentialsSignin) as a restart", () => {
    expect(decodeSignInError("CredentialsSignin")).toEqual({
      message: "Sign-in failed. Enter your email and password again.",
      restart: true,
    });
    expect(decodeSignInError(undefined).restart).toBe(true);
  });
});
