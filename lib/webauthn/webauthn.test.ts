// Security keys end to end on the server: real options, a software authenticator answering them
// (lib/test-support/soft-authenticator.ts), the real verifiers and the real SQLite file.
// completeSignInChallenge reads its cookie through next/headers, which only exists inside a
// request; these tests call what it calls, in the same order: verifyAssertion for the browser's
// sign-in challenge, then checkSecondFactor inside an immediate transaction.
import crypto from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/db/index";
import { createUser, getSessionVersion } from "@/db/queries";
import { getSecondFactorRecord } from "@/db/second-factor-queries";
import {
  getCredentials,
  insertSecurityKey,
  listSecurityKeys,
  removeSecurityKey,
  renameSecurityKey,
} from "@/db/security-key-queries";
import { createSignInChallenge } from "@/db/sign-in-challenge-queries";
import { immediateTransaction } from "@/db/transaction";
import { completeEnrollment, confirmEnrollment, startEnrollment } from "@/db/two-factor-queries";
import { checkSecondFactor, SECOND_FACTOR_FAILURE_LIMIT, type SecondFactorOutcome } from "@/lib/auth/second-factor";
import { generateBackupCodes, normalizeBackupCode } from "@/lib/backup-codes";
import { SoftAuthenticator, type AssertionJSON, type AssertionOverrides } from "@/lib/test-support/soft-authenticator";
import { generateTotpSecret, totpTimeStep } from "@/lib/totp";
import { backupCodeHash, sealTotpSecret } from "@/lib/two-factor/secrets";
import { signInOptions, verifyAssertion, type VerifiedAssertion } from "./assertion";
import { registrationOptions, verifyRegistration } from "./registration";

// relyingParty() reads request headers only when NEXTAUTH_URL is unset; env() is parsed on first use.
vi.hoisted(() => {
  process.env.NEXTAUTH_URL = "http://localhost:3000";
});

const ORIGIN = "http://localhost:3000";
const RP_ID = "localhost";
const NOT_VERIFIED = "That security key response could not be verified. Try again, or use your authenticator app.";
const NOT_REGISTERED = "That security key is not registered to this account.";
const USED_OR_EXPIRED = "That security key response was already used or has expired. Try again.";
const COUNTER_BACKWARDS = "This security key's signature counter went backwards, so it may have been copied. Use your authenticator app.";
const NOT_REGISTERED_REGISTRATION = "That security key could not be registered. Try again.";
const MINUTE = 60_000;

let counter = 0;

/** A user with two-factor on (app + backup codes), enrolled through the real queries. */
function enrolledUser(now: number) {
  const created = createUser(`webauthn${++counter}@example.com`, "hash", now);
  if (created === "email-taken") throw new Error("unexpected");
  const userId = created.id;
  const sealedSecret = sealTotpSecret(userId, generateTotpSecret());
  startEnrollment(userId, sealedSecret, now, now + MINUTE);
  const codes = generateBackupCodes();
  const hashes = codes.map((code) => backupCodeHash(normalizeBackupCode(code) ?? ""));
  confirmEnrollment(userId, { secretEncrypted: sealedSecret, step: totpTimeStep(now) - 5 }, hashes, now, now + MINUTE);
  completeEnrollment(userId, now);
  return { userId, email: `webauthn${counter}@example.com`, codes };
}

/** Registers `key` for the user the way the Settings action does: options, the key's answer, verify, insert. */
async function registerKey(userId: number, email: string, key: SoftAuthenticator, name = "YubiKey 5", now = Date.now()) {
  const options = await registrationOptions(userId, email, now);
  const verified = await verifyRegistration(userId, key.register({ challenge: options.challenge, rpId: options.rp.id ?? RP_ID, origin: ORIGIN }), now);
  if (!verified.ok) throw new Error(verified.message);
  const inserted = insertSecurityKey({ userId, name, ...verified.credential }, now);
  if (typeof inserted === "string") throw new Error(inserted);
  return inserted.id;
}

/** A user with two-factor on and one registered software key. */
async function userWithKey(now = Date.now(), key = new SoftAuthenticator()) {
  const user = enrolledUser(now);
  const keyId = await registerKey(user.userId, user.email, key, "YubiKey 5", now);
  return { ...user, key, keyId };
}

/** Step 1 passed in some browser: a sign-in challenge (its id hash, as the cookie's would be). */
function openSignIn(userId: number, now = Date.now()): string {
  const idHash = crypto.randomBytes(32).toString("base64url");
  createSignInChallenge(idHash, userId, now, now + 5 * MINUTE);
  return idHash;
}

/** POST /api/sign-in/security-key: options bound to this user and sign-in; returns what the key signs. */
async function keyChallenge(userId: number, idHash: string, now = Date.now()) {
  const options = await signInOptions(userId, idHash, now);
  return { options, ceremony: { challenge: options.challenge, rpId: options.rpId ?? RP_ID, origin: ORIGIN } };
}

/** What completeSignInChallenge does with a "webauthn" second factor for the sign-in `idHash` of `userId`. */
async function submitAssertion(userId: number, idHash: string, assertion: AssertionJSON | string, now = Date.now()) {
  const verified = await verifyAssertion(userId, idHash, typeof assertion === "string" ? assertion : JSON.stringify(assertion));
  return checkVerified(userId, verified, now);
}

function checkVerified(userId: number, verified: VerifiedAssertion, now = Date.now()): SecondFactorOutcome {
  return immediateTransaction((tx) => checkSecondFactor(tx, userId, { method: "webauthn", assertion: verified }, now));
}

/** A full sign-in with the key: new sign-in challenge, options, the key's answer, the check. */
async function signInWithKey(userId: number, key: SoftAuthenticator, overrides?: AssertionOverrides, now = Date.now()) {
  const idHash = openSignIn(userId, now);
  const { ceremony } = await keyChallenge(userId, idHash, now);
  return submitAssertion(userId, idHash, key.assert(ceremony, overrides), now);
}

function wrongCode(userId: number, now: number) {
  return immediateTransaction((tx) => checkSecondFactor(tx, userId, { method: "backup", code: "00000-00000" }, now));
}

function failedAttempts(userId: number): number {
  const row = db().$client.prepare("SELECT failed_attempts AS n FROM two_factor WHERE user_id = ?").get(userId) as { n: number };
  return row.n;
}

describe("registering a security key", () => {
  it("stores the key's credential and COSE public key, and lists it with its name, date added and no use yet", async () => {
    const now = Date.now();
    const { userId, email } = enrolledUser(now);
    const key = new SoftAuthenticator();
    const options = await registrationOptions(userId, email, now);
    expect(options.rp).toEqual({ id: RP_ID, name: "Acme" });
    expect(options.attestation).toBe("none");
    expect(options.user.name).toBe(email);
    // The user handle is opaque: 16 bytes that are neither the database id nor the email.
    const handle = Buffer.from(options.user.id, "base64url");
    expect(handle).toHaveLength(16);
    expect(handle.toString("latin1")).not.toContain(email);
    expect(handle.toString("latin1")).not.toMatch(new RegExp(`^${userId}$`));

    const verified = await verifyRegistration(userId, key.register({ challenge: options.challenge, rpId: RP_ID, origin: ORIGIN }), now);
    expect(verified).toMatchObject({ ok: true, credential: { credentialId: key.id, counter: 0, transports: '["usb"]' } });
    if (!verified.ok) return;
    expect(Buffer.from(verified.credential.publicKey, "base64url").equals(key.cosePublicKey())).toBe(true);

    const version = getSessionVersion(userId) ?? 0;
    const inserted = insertSecurityKey({ userId, name: "YubiKey 5", ...verified.credential }, now);
    expect(inserted).toEqual({ id: expect.any(Number) });
    expect(getSessionVersion(userId)).toBe(version + 1);
    expect(listSecurityKeys(userId)).toEqual([{ id: expect.any(Number), name: "YubiKey 5", createdAt: now, lastUsedAt: null }]);

    // The next registration's options exclude it, so the browser refuses the same key up front.
    const next = await registrationOptions(userId, email, now);
    expect(next.excludeCredentials?.map((credential) => credential.id)).toEqual([key.id]);
  });

  it("refuses a response for the wrong origin, the wrong RP ID, a made-up challenge or another user's challenge", async () => {
    const now = Date.now();
    const { userId, email } = enrolledUser(now);
    const other = enrolledUser(now);
    const key = new SoftAuthenticator();
    const { challenge } = await registrationOptions(userId, email, now);
    const otherChallenge = (await registrationOptions(other.userId, other.email, now)).challenge;
    const refused = [
      key.register({ challenge, rpId: RP_ID, origin: "http://localhost:3001" }),
      key.register({ challenge, rpId: RP_ID, origin: "https://evil.example" }),
      key.register({ challenge, rpId: "evil.example", origin: ORIGIN }),
      key.register({ challenge: crypto.randomBytes(32).toString("base64url"), rpId: RP_ID, origin: ORIGIN }),
      key.register({ challenge: otherChallenge, rpId: RP_ID, origin: ORIGIN }),
    ];
    for (const response of refused) {
      expect(await verifyRegistration(userId, response, now)).toEqual({ ok: false, message: NOT_REGISTERED_REGISTRATION });
    }
    // None of those used up the challenge: the genuine answer still registers, once.
    const genuine = key.register({ challenge, rpId: RP_ID, origin: ORIGIN });
    expect((await verifyRegistration(userId, genuine, now)).ok).toBe(true);
    expect(await verifyRegistration(userId, genuine, now)).toEqual({ ok: false, message: NOT_REGISTERED_REGISTRATION });
  });

  it("refuses a registration challenge that has expired", async () => {
    const now = Date.now();
    const { userId, email } = enrolledUser(now);
    const { challenge } = await registrationOptions(userId, email, now);
    const response = new SoftAuthenticator().register({ challenge, rpId: RP_ID, origin: ORIGIN });
    expect(await verifyRegistration(userId, response, now + 5 * MINUTE + 1)).toEqual({ ok: false, message: NOT_REGISTERED_REGISTRATION });
  });

  it("registers a credential once: the same credential id again, for the same or another user, is a duplicate", async () => {
    const now = Date.now();
    const { userId, email, key } = await userWithKey(now);
    const other = enrolledUser(now);

    for (const [id, address] of [
      [userId, email],
      [other.userId, other.email],
    ] as const) {
      // A client that ignores excludeCredentials answers with the same credential again.
      const options = await registrationOptions(id, address, now);
      const verified = await verifyRegistration(id, key.register({ challenge: options.challenge, rpId: RP_ID, origin: ORIGIN }), now);
      if (!verified.ok) throw new Error(verified.message);
      const version = getSessionVersion(id);
      expect(insertSecurityKey({ userId: id, name: "Again", ...verified.credential }, now)).toBe("duplicate");
      expect(getSessionVersion(id)).toBe(version);
    }
    expect(listSecurityKeys(userId).map((k) => k.name)).toEqual(["YubiKey 5"]);
    expect(listSecurityKeys(other.userId)).toEqual([]);
  });
});

describe("signing in with a security key", () => {
  it("offers only this user's keys, accepts the key's assertion, and records the counter and the time of use", async () => {
    const registeredAt = Date.now() - 3 * MINUTE;
    const { userId, key, keyId } = await userWithKey(registeredAt);
    await registerKey(userId, `second-${userId}@example.com`, new SoftAuthenticator(), "Backup key", registeredAt);
    const someoneElse = await userWithKey(registeredAt);

    const now = Date.now();
    const idHash = openSignIn(userId, now);
    const { options, ceremony } = await keyChallenge(userId, idHash, now);
    expect(options.rpId).toBe(RP_ID);
    expect(options.userVerification).toBe("preferred");
    const allowed = options.allowCredentials?.map((credential) => credential.id) ?? [];
    expect(allowed).toHaveLength(2);
    expect(allowed).toContain(key.id);
    expect(allowed).not.toContain(someoneElse.key.id);

    expect(await submitAssertion(userId, idHash, key.assert(ceremony), now)).toEqual({ ok: true, method: "webauthn" });
    expect(getCredentials(userId).find((credential) => credential.id === keyId)?.counter).toBe(1);
    expect(listSecurityKeys(userId).find((k) => k.id === keyId)).toEqual({
      id: keyId,
      name: "YubiKey 5",
      createdAt: registeredAt,
      lastUsedAt: now,
    });
  });

  it("refuses a replayed assertion, in the same sign-in and in a later one, even from a key whose counter stays 0", async () => {
    // A counting key's replay trips the counter check first; a key stuck at 0 is stopped by the used challenge.
    const cases = [
      { key: new SoftAuthenticator(), refusal: NOT_VERIFIED },
      { key: new SoftAuthenticator({ counts: false }), refusal: USED_OR_EXPIRED },
    ];
    for (const { key, refusal } of cases) {
      const now = Date.now();
      const { userId } = await userWithKey(now, key);
      const idHash = openSignIn(userId, now);
      const { ceremony } = await keyChallenge(userId, idHash, now);
      const assertion = key.assert(ceremony);
      expect(await submitAssertion(userId, idHash, assertion, now)).toEqual({ ok: true, method: "webauthn" });

      expect(await submitAssertion(userId, idHash, assertion, now + 1000)).toEqual({ ok: false, message: refusal, counted: true });
      const laterIdHash = openSignIn(userId, now + 2000);
      await keyChallenge(userId, laterIdHash, now + 2000); // the later sign-in asked for a fresh challenge
      expect(await submitAssertion(userId, laterIdHash, assertion, now + 2000)).toEqual({ ok: false, message: refusal, counted: true });
    }
  });

  it("refuses an assertion for another user's challenge, or for another sign-in of the same user", async () => {
    const now = Date.now();
    const alice = await userWithKey(now);
    const bob = await userWithKey(now);

    // Alice's key signs the challenge Bob's browser was given; Alice submits it in her own sign-in.
    const aliceSignIn = openSignIn(alice.userId, now);
    await keyChallenge(alice.userId, aliceSignIn, now);
    const bobSignIn = openSignIn(bob.userId, now);
    const bobChallenge = await keyChallenge(bob.userId, bobSignIn, now);
    expect(await submitAssertion(alice.userId, aliceSignIn, alice.key.assert(bobChallenge.ceremony), now)).toEqual({
      ok: false,
      message: USED_OR_EXPIRED,
      counted: true,
    });
    // That did not use up Bob's challenge: his own key still signs him in with it.
    expect(await submitAssertion(bob.userId, bobSignIn, bob.key.assert(bobChallenge.ceremony), now)).toEqual({ ok: true, method: "webauthn" });

    // Alice in two browsers: the key's answer to browser 1's challenge does not finish browser 2's sign-in.
    const browserOne = openSignIn(alice.userId, now);
    const browserTwo = openSignIn(alice.userId, now);
    const one = await keyChallenge(alice.userId, browserOne, now);
    await keyChallenge(alice.userId, browserTwo, now);
    const answer = alice.key.assert(one.ceremony);
    expect(await submitAssertion(alice.userId, browserTwo, answer, now)).toMatchObject({ ok: false, message: USED_OR_EXPIRED });
    // The genuine pairing works (the refused attempt consumed nothing). The counter moved on, so sign again.
    expect(await submitAssertion(alice.userId, browserOne, alice.key.assert(one.ceremony), now)).toEqual({ ok: true, method: "webauthn" });
  });

  it("refuses a registration challenge signed as if it were a sign-in challenge", async () => {
    const now = Date.now();
    const { userId, email, key } = await userWithKey(now);
    const idHash = openSignIn(userId, now);
    await keyChallenge(userId, idHash, now);
    const { challenge } = await registrationOptions(userId, email, now);
    const outcome = await submitAssertion(userId, idHash, key.assert({ challenge, rpId: RP_ID, origin: ORIGIN }), now);
    expect(outcome).toMatchObject({ ok: false, message: USED_OR_EXPIRED });
  });

  it("does not let user A's key complete user B's sign-in", async () => {
    const now = Date.now();
    const alice = await userWithKey(now);
    const bob = await userWithKey(now);
    const bobSignIn = openSignIn(bob.userId, now);
    const { ceremony } = await keyChallenge(bob.userId, bobSignIn, now);

    // Someone with Bob's password and Alice's key answers Bob's challenge with Alice's key.
    const forged = alice.key.assert(ceremony);
    expect(await verifyAssertion(bob.userId, bobSignIn, JSON.stringify(forged))).toEqual({ ok: false, message: NOT_REGISTERED });
    expect(await submitAssertion(bob.userId, bobSignIn, forged, now)).toEqual({ ok: false, message: NOT_REGISTERED, counted: true });
    // Even with Alice's key id swapped for Bob's, the signature is not his key's.
    const relabelled = { ...forged, id: bob.key.id, rawId: bob.key.id };
    expect(await submitAssertion(bob.userId, bobSignIn, relabelled, now)).toEqual({ ok: false, message: NOT_VERIFIED, counted: true });
    // And Alice's verified assertion handed to Bob's check is refused by the owner check.
    const aliceSignIn = openSignIn(alice.userId, now);
    const aliceChallenge = await keyChallenge(alice.userId, aliceSignIn, now);
    const verifiedForAlice = await verifyAssertion(alice.userId, aliceSignIn, JSON.stringify(alice.key.assert(aliceChallenge.ceremony)));
    expect(verifiedForAlice.ok).toBe(true);
    expect(checkVerified(bob.userId, verifiedForAlice, now)).toEqual({ ok: false, message: NOT_REGISTERED, counted: true });
    // Bob's own key still works on the same challenge.
    expect(await submitAssertion(bob.userId, bobSignIn, bob.key.assert(ceremony), now)).toEqual({ ok: true, method: "webauthn" });
  });

  it("refuses an assertion for the wrong origin or RP ID, of the wrong type, without user presence, or tampered", async () => {
    const now = Date.now();
    const { userId, key } = await userWithKey(now);
    const idHash = openSignIn(userId, now);
    const { ceremony } = await keyChallenge(userId, idHash, now);
    const tampered = key.assert(ceremony);
    const clientData = JSON.parse(Buffer.from(tampered.response.clientDataJSON, "base64url").toString("utf8")) as Record<string, unknown>;
    tampered.response.clientDataJSON = Buffer.from(JSON.stringify({ ...clientData, extra: 1 })).toString("base64url");
    const refused: [string, AssertionJSON | string][] = [
      ["another port of the same host", key.assert({ ...ceremony, origin: "http://localhost:3001" })],
      ["https instead of http", key.assert({ ...ceremony, origin: "https://localhost:3000" })],
      ["a phishing site", key.assert({ ...ceremony, origin: "https://evil.example" })],
      ["a sub-domain", key.assert({ ...ceremony, origin: "http://evil.localhost:3000" })],
      ["another RP ID", key.assert({ ...ceremony, rpId: "evil.example" })],
      ["a registration's type", key.assert(ceremony, { type: "webauthn.create" })],
      ["no user presence", key.assert(ceremony, { flags: 0x04 })],
      ["client data changed after signing", tampered],
    ];
    expect(refused.length).toBeLessThan(SECOND_FACTOR_FAILURE_LIMIT); // counted failures, below the lock
    for (const [label, assertion] of refused) {
      expect(await submitAssertion(userId, idHash, assertion, now), label).toEqual({ ok: false, message: NOT_VERIFIED, counted: true });
    }
    // None of them consumed the challenge; the genuine answer (a higher counter than any above) signs in.
    expect(await submitAssertion(userId, idHash, key.assert(ceremony), now)).toEqual({ ok: true, method: "webauthn" });
  });

  it("ignores client extension results, however they are made (none are requested)", async () => {
    const now = Date.now();
    const { userId, key } = await userWithKey(now);
    const idHash = openSignIn(userId, now);
    const { ceremony } = await keyChallenge(userId, idHash, now);
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const json = JSON.stringify({ ...key.assert(ceremony), clientExtensionResults: { x: "PLACEHOLDER" } }).replace('"PLACEHOLDER"', deep);
    expect(await submitAssertion(userId, idHash, json, now)).toEqual({ ok: true, method: "webauthn" });
  });

  it("refuses a key challenge older than five minutes", async () => {
    const now = Date.now();
    const { userId, key } = await userWithKey(now);
    const idHash = openSignIn(userId, now);
    const { ceremony } = await keyChallenge(userId, idHash, now);
    expect(await submitAssertion(userId, idHash, key.assert(ceremony), now + 5 * MINUTE + 1)).toMatchObject({
      ok: false,
      message: USED_OR_EXPIRED,
    });
  });
});

describe("the signature counter", () => {
  it("must grow: a lower or equal counter (a cloned key) is refused", async () => {
    const now = Date.now();
    const { userId, key, keyId } = await userWithKey(now);
    const clone = key.clone();
    expect((await signInWithKey(userId, key, { counter: 5 }, now)).ok).toBe(true);
    expect(getCredentials(userId).find((credential) => credential.id === keyId)?.counter).toBe(5);

    for (const counter of [5, 3, 0]) {
      expect(await signInWithKey(userId, clone, { counter }, now), `counter ${counter}`).toEqual({
        ok: false,
        message: NOT_VERIFIED,
        counted: true,
      });
    }
    expect(getCredentials(userId).find((credential) => credential.id === keyId)?.counter).toBe(5);
    expect((await signInWithKey(userId, key, { counter: 6 }, now)).ok).toBe(true);
  });

  it("may stay 0 on a key that does not count, but once it counted it may not fall back to 0", async () => {
    const now = Date.now();
    const { userId, key, keyId } = await userWithKey(now, new SoftAuthenticator({ counts: false }));
    for (let i = 0; i < 3; i++) expect(await signInWithKey(userId, key, undefined, now)).toEqual({ ok: true, method: "webauthn" });
    expect(getCredentials(userId).find((credential) => credential.id === keyId)?.counter).toBe(0);
    expect((await signInWithKey(userId, key, { counter: 7 }, now)).ok).toBe(true);
    expect(await signInWithKey(userId, key, { counter: 0 }, now)).toMatchObject({ ok: false, counted: true });
  });

  it("is checked again when the key is used: of two assertions verified together, the older counter loses", async () => {
    const now = Date.now();
    const { userId, key, keyId } = await userWithKey(now);
    expect((await signInWithKey(userId, key, { counter: 5 }, now)).ok).toBe(true);
    // Two sign-ins at once (two browsers): only the newest key challenge of each sign-in counts.
    const firstSignIn = openSignIn(userId, now);
    const secondSignIn = openSignIn(userId, now);
    const first = await keyChallenge(userId, firstSignIn, now);
    const second = await keyChallenge(userId, secondSignIn, now);
    // Both are verified against the stored counter 5 before either is used (two requests at once).
    const older = await verifyAssertion(userId, firstSignIn, JSON.stringify(key.assert(first.ceremony, { counter: 6 })));
    const newer = await verifyAssertion(userId, secondSignIn, JSON.stringify(key.assert(second.ceremony, { counter: 7 })));
    expect(checkVerified(userId, newer, now)).toEqual({ ok: true, method: "webauthn" });
    expect(checkVerified(userId, older, now)).toEqual({ ok: false, message: COUNTER_BACKWARDS, counted: true });
    expect(getCredentials(userId).find((credential) => credential.id === keyId)?.counter).toBe(7);
  });
});

describe("security-key failures and the lock-out", () => {
  it("count with wrong codes against the same limit: 9 wrong codes and 1 refused key lock the account", async () => {
    const now = Date.now();
    const { userId, key } = await userWithKey(now);
    const intruder = new SoftAuthenticator();
    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT - 1; i++) expect(wrongCode(userId, now)).toMatchObject({ ok: false, counted: true });
    expect(failedAttempts(userId)).toBe(SECOND_FACTOR_FAILURE_LIMIT - 1);

    const tenth = await signInWithKey(userId, intruder, undefined, now);
    expect(tenth).toMatchObject({ ok: false, counted: true, lockedUntil: now + 15 * MINUTE });
    expect(tenth.ok === false && tenth.message).toMatch(/^Too many attempts\. Try again after \d\d:\d\d UTC\.$/);

    // While locked, even the right key is refused (and not counted again).
    const during = now + MINUTE;
    expect(await signInWithKey(userId, key, undefined, during)).toMatchObject({ ok: false, counted: false, lockedUntil: now + 15 * MINUTE });
    const after = now + 16 * MINUTE;
    expect(await signInWithKey(userId, key, undefined, after)).toEqual({ ok: true, method: "webauthn" });
  });

  it("10 refused keys lock the account; a key that works resets the count", async () => {
    const now = Date.now();
    const { userId, key } = await userWithKey(now);
    const intruder = new SoftAuthenticator();
    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT - 1; i++) {
      expect(await signInWithKey(userId, intruder, undefined, now)).toEqual({ ok: false, message: NOT_REGISTERED, counted: true });
    }
    expect(failedAttempts(userId)).toBe(SECOND_FACTOR_FAILURE_LIMIT - 1);
    expect((await signInWithKey(userId, key, undefined, now)).ok).toBe(true);
    expect(failedAttempts(userId)).toBe(0);

    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT - 1; i++) await signInWithKey(userId, intruder, undefined, now);
    expect(getSecondFactorRecord(userId)?.lockedUntil).toBeNull();
    const tenth = await signInWithKey(userId, intruder, undefined, now);
    expect(tenth).toMatchObject({ ok: false, lockedUntil: now + 15 * MINUTE });
    expect(getSecondFactorRecord(userId)?.lockedUntil).toBe(now + 15 * MINUTE);
  });

  it("does not count a response that is not a security-key response at all, as with malformed codes", async () => {
    const now = Date.now();
    const { userId, key } = await userWithKey(now);
    const idHash = openSignIn(userId, now);
    for (const junk of ["", "not json", "null", "[]", "{}", JSON.stringify({ id: 1, response: "x" }), "{".repeat(5000)]) {
      expect(await submitAssertion(userId, idHash, junk, now)).toMatchObject({ ok: false, counted: false });
    }
    expect(failedAttempts(userId)).toBe(0);
    // The sign-in is still open: the real key completes it.
    const { ceremony } = await keyChallenge(userId, idHash, now);
    expect(await submitAssertion(userId, idHash, key.assert(ceremony), now)).toEqual({ ok: true, method: "webauthn" });
  });
});

describe("managing keys", () => {
  it("renames and removes only the owner's key; removing ends other sessions", async () => {
    const now = Date.now();
    const alice = await userWithKey(now);
    const bob = await userWithKey(now);
    expect(renameSecurityKey(bob.userId, alice.keyId, "Stolen")).toBe(false);
    expect(removeSecurityKey(bob.userId, alice.keyId)).toBeNull();
    expect(listSecurityKeys(alice.userId).map((k) => k.name)).toEqual(["YubiKey 5"]);

    expect(renameSecurityKey(alice.userId, alice.keyId, "Work key")).toBe(true);
    expect(listSecurityKeys(alice.userId).map((k) => k.name)).toEqual(["Work key"]);

    const version = getSessionVersion(alice.userId) ?? 0;
    expect(removeSecurityKey(alice.userId, alice.keyId)).toBe("Work key");
    expect(getSessionVersion(alice.userId)).toBe(version + 1);
    expect(listSecurityKeys(alice.userId)).toEqual([]);
    // A removed key no longer signs in: its id is not this account's any more.
    expect(await signInWithKey(alice.userId, alice.key, undefined, now)).toEqual({ ok: false, message: NOT_REGISTERED, counted: true });
  });
});
