// Bypasses: every protected page, server action and route handler, called without a session,
// half-way through signing in, with another user's challenge, and with forged, tampered,
// expired or revoked session tokens. All refused, and nothing in the database changes.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { allActions, callAction, formData, PUBLIC_ACTIONS, submit, type ActionCall, type ActionName } from "./support/actions";
import { snapshot, userId, withDb } from "./support/db";
import { halfSignedIn, passwordStep, readSetupKey, secondStep, signIn, signUp, twoFactorUser, type Account, type TwoFactor } from "./support/flows";
import { Client } from "./support/http";
import { expiredToken, genuineToken, readToken, SESSION_COOKIE, signWithOtherSecret, tamperedToken, unsignedToken } from "./support/jwt";
import { startServer, type Server } from "./support/server";
import { stepAt, totpForStep } from "./support/totp";

const PROTECTED_PAGES = ["/", "/settings", "/settings/two-factor", "/settings/change-authenticator", "/backup-code-used"];

let server: Server;
let victim: { account: Account; twoFactor: TwoFactor; id: number };
let attacker: { client: Client; account: Account; twoFactor: TwoFactor; id: number };

test.beforeAll(async () => {
  server = await startServer("bypass");
  const v = await twoFactorUser(server, "victim");
  const a = await twoFactorUser(server, "attacker");
  victim = { account: v.account, twoFactor: v.twoFactor, id: userId(server.dbPath, v.account.email) };
  attacker = { ...a, id: userId(server.dbPath, a.account.email) };
});

test.afterAll(async () => {
  await server?.stop();
});

/** Plausible arguments for every protected action: the victim's real factors where one is asked for. */
function protectedActionCalls(): [ActionName, unknown[]][] {
  const backup = victim.twoFactor.backupCodes[9] ?? "";
  const code = totpForStep(victim.twoFactor.secret, stepAt());
  return [
    ["beginEnrollment", []],
    ["goToVerifyStep", []],
    ["goBackToScanStep", []],
    ["verifyEnrollmentCode", [formData({ code })]],
    ["renewEnrollmentBackupCodes", []],
    ["acknowledgeBackupCodes", [formData({ acknowledged: "on" })]],
    ["cancelTwoFactorSetup", []],
    ["disableTwoFactorAction", [formData({ method: "backup", code: backup })]],
    ["generateNewBackupCodesAction", [formData({ method: "backup", code: backup })]],
    ["signOutOtherSessionsAction", []],
    ["confirmIdentityAction", [formData({ password: victim.account.password, method: "backup", code: backup })]],
    ["changePasswordAction", [formData({ currentPassword: victim.account.password, newPassword: "pwned pwned pwned", confirmPassword: "pwned pwned pwned" })]],
    ["beginAuthenticatorChangeAction", []],
    ["verifyNewAuthenticatorAction", [formData({ code })]],
    ["cancelAuthenticatorChangeAction", []],
    ["startSecurityKeyRegistrationAction", []],
    ["finishSecurityKeyRegistrationAction", [{ name: "pwned", response: {} }]],
    ["renameSecurityKeyAction", [formData({ keyId: "1", name: "pwned" })]],
    ["removeSecurityKeyAction", [formData({ keyId: "1", method: "backup", code: backup })]],
  ];
}

function expectActionRefused(call: ActionCall, label: string) {
  if (call.status >= 400 && call.status < 500) return;
  expect(call.status, `${label}: HTTP status`).toBe(200);
  expect(call.outcome, `${label}: the action must answer with an error result`).toMatchObject({ kind: "result", value: { status: "error" } });
}

async function expectEverythingRefused(client: Client, label: string, { challengeIsLive = false } = {}) {
  for (const path of PROTECTED_PAGES) {
    const response = await client.get(path);
    expect([302, 303, 307, 308], `${label}: GET ${path} answered ${response.status}`).toContain(response.status);
    expect(new URL(response.location ?? "", server.baseURL).pathname, `${label}: GET ${path} goes to`).toBe("/login");
  }
  for (const [name, args] of protectedActionCalls()) {
    expectActionRefused(await callAction(client.clone(), name, args), `${label}: ${name}`);
  }
  const session = await client.clone().get("/api/auth/session");
  expect(session.status).toBe(200);
  expect(session.json(), `${label}: /api/auth/session`).toEqual({});
  const options = await client.clone().request("/api/sign-in/security-key", { method: "POST" });
  // Security-key options are for a browser half-way through signing in, and for nobody else.
  expect(options.status, `${label}: POST /api/sign-in/security-key`).toBe(challengeIsLive ? 200 : 401);
}

test("the action list is complete: every action in the build is attacked here", () => {
  const attacked = new Set<string>([...PUBLIC_ACTIONS, ...protectedActionCalls().map(([name]) => name)]);
  expect([...allActions().keys()].filter((name) => !attacked.has(name)), "actions the bypass test does not cover").toEqual([]);
});

test("no session: pages redirect to /login, actions and handlers refuse, nothing changes", async () => {
  const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
  await expectEverythingRefused(new Client(server), "no session");
  expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(before);
});

test("half-finished sign-in (password passed, second factor not): no page, no action, no session", async () => {
  const half = await halfSignedIn(server, victim.account);
  // Wrong second factors count against the limits (that is their job); nothing else may change.
  const except = ["auth_throttles", "sign_in_challenges", "webauthn_challenges", "two_factor.failed_attempts", "security_events", "email_outbox"];
  const before = snapshot(server.dbPath, { except });
  await expectEverythingRefused(half, "half signed in", { challengeIsLive: true });
  // NextAuth's callback without a code, with a made-up method, or with the password: no session.
  const attempts: Record<string, string>[] = [{}, { method: "password" }, { method: "webauthn", code: "{}" }, { email: victim.account.email, password: victim.account.password }];
  for (const fields of attempts) {
    const step = await secondStep(half.clone(), fields);
    expect(step.ok, `callback with ${JSON.stringify(fields)}`).toBe(false);
    expect(step.status).toBeGreaterThanOrEqual(400);
  }
  expect(snapshot(server.dbPath, { except })).toEqual(before);
});

test("another user's factor or challenge does not complete a sign-in", async () => {
  // The attacker knows the victim's password but holds only their own authenticator and codes.
  const atVictim = await halfSignedIn(server, victim.account);
  const attackerCode = totpForStep(attacker.twoFactor.secret, stepAt() + 1);
  expect(await secondStep(atVictim, { method: "totp", code: attackerCode })).toMatchObject({ ok: false });
  expect(await secondStep(atVictim, { method: "backup", code: attacker.twoFactor.backupCodes[0] ?? "" })).toMatchObject({ ok: false });

  // The attacker's own challenge with the victim's current code: still the attacker's account at most,
  // and here refused, because the code is checked against the challenge's own user.
  const atAttacker = await halfSignedIn(server, attacker.account);
  expect(await secondStep(atAttacker, { method: "backup", code: victim.twoFactor.backupCodes[0] ?? "" })).toMatchObject({ ok: false });

  // A copy of the database holds only the challenge's hash: as a cookie it opens nothing.
  const victimHalf = await halfSignedIn(server, victim.account);
  const stored = withDb(server.dbPath, (db) =>
    db.prepare("SELECT id_hash AS idHash FROM sign_in_challenges WHERE user_id = ? AND consumed_at IS NULL ORDER BY created_at DESC").all(victim.id),
  ) as { idHash: string }[];
  expect(stored.length).toBeGreaterThan(0);
  for (const { idHash } of stored) {
    expect(idHash).not.toBe(victimHalf.challengeId());
    const thief = new Client(server);
    thief.jar.set("sign-in-challenge", idHash);
    expect(await secondStep(thief, { method: "backup", code: victim.twoFactor.backupCodes[1] ?? "" })).toMatchObject({ ok: false });
  }
  // None of that spent the victim's codes: the real owner still signs in with the first one.
  await signIn(server, victim.account, { method: "backup", code: victim.twoFactor.backupCodes[0] ?? "" });
});

test("a sign-in challenge is single use and expires", async () => {
  const half = await halfSignedIn(server, victim.account);
  const copy = half.clone();
  expect(await secondStep(half, { method: "backup", code: victim.twoFactor.backupCodes[2] ?? "" })).toMatchObject({ ok: true });
  // The same challenge again (a second tab, a replayed request) with another good code: refused.
  expect(await secondStep(copy, { method: "backup", code: victim.twoFactor.backupCodes[3] ?? "" })).toMatchObject({ ok: false });

  const stale = await halfSignedIn(server, victim.account);
  withDb(server.dbPath, (db) => db.prepare("UPDATE sign_in_challenges SET expires_at = ? WHERE user_id = ? AND consumed_at IS NULL").run(Date.now() - 1000, victim.id), {
    readonly: false,
  });
  const step = await secondStep(stale, { method: "backup", code: victim.twoFactor.backupCodes[3] ?? "" });
  expect(step.ok).toBe(false);
  expect(step.error ?? "").toMatch(/^restart:/);
  // Refused before any check: the code is still good.
  await signIn(server, victim.account, { method: "backup", code: victim.twoFactor.backupCodes[3] ?? "" });
});

test("forged, tampered, unsigned, expired and revoked session tokens are refused everywhere", async () => {
  const fresh = await signIn(server, victim.account, { method: "backup", code: victim.twoFactor.backupCodes[4] ?? "" });
  const genuine = fresh.sessionToken() ?? "";
  const claims = (await readToken(server, genuine)) as { sub: string; sv: number; authTime: number };
  expect(claims.sub).toBe(String(victim.id));

  // Revoked: a copy of this browser's token, then "sign out other sessions" from the browser itself.
  const revoked = fresh.clone();
  const bumped = await callAction(fresh, "signOutOtherSessionsAction", []);
  expect(bumped.outcome).toMatchObject({ kind: "result", value: { status: "success" } });

  const tokens: [string, string][] = [
    ["signed with another secret", await signWithOtherSecret({ sub: String(victim.id), sv: claims.sv + 1, authTime: Date.now() })],
    ["alg none", unsignedToken({ sub: String(victim.id), sv: claims.sv + 1, authTime: Date.now() })],
    ["tampered", tamperedToken(fresh.sessionToken() ?? "")],
    ["expired", await expiredToken(server, { sub: String(victim.id), sv: claims.sv + 1, authTime: Date.now() })],
    ["garbage", "x".repeat(64)],
  ];
  const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
  for (const [label, token] of tokens) {
    const client = new Client(server);
    client.jar.set(SESSION_COOKIE, token);
    await expectEverythingRefused(client, label);
  }
  await expectEverythingRefused(revoked, "revoked (session version bumped)");
  expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(before);
  // The browser that bumped the version still works.
  expect((await fresh.get("/settings")).status).toBe(200);
});

/** A genuine, current session of this user, signed in `authTime`. */
async function withSignIn(id: number, sv: number, authTime: number): Promise<Client> {
  const client = new Client(server);
  client.jar.set(SESSION_COOKIE, await genuineToken(server, { sub: String(id), sv, authTime }));
  return client;
}

function sessionVersion(id: number): number {
  return withDb(server.dbPath, (db) => (db.prepare("SELECT session_version AS v FROM users WHERE id = ?").get(id) as { v: number }).v);
}

const refused = { kind: "result", value: { status: "error", reason: "confirm-identity" } };
const succeeded = { kind: "result", value: { status: "success" } };

test("sensitive changes need a sign-in from the last ten minutes: an older genuine session is asked to confirm it's you", async () => {
  const plain = await signUp(server, "sudo");
  const plainId = userId(server.dbPath, plain.account.email);
  const calls: [number, ActionName][] = [
    [victim.id, "signOutOtherSessionsAction"],
    [victim.id, "beginAuthenticatorChangeAction"],
    [victim.id, "startSecurityKeyRegistrationAction"],
    [plainId, "beginEnrollment"],
  ];
  // Finishing a key registration: the window is checked before the (here missing) key response.
  const finish = await callAction(await withSignIn(victim.id, sessionVersion(victim.id), Date.now() - 11 * 60_000), "finishSecurityKeyRegistrationAction", [{ name: "key", response: {} }]);
  expect(finish.outcome, "finishSecurityKeyRegistrationAction with a sign-in 11 minutes old").toMatchObject(refused);
  const elevenMinutesAgo = Date.now() - 11 * 60_000;
  const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
  for (const [id, name] of calls) {
    const call = await callAction(await withSignIn(id, sessionVersion(id), elevenMinutesAgo), name, []);
    expect(call.outcome, `${name} with a sign-in 11 minutes old`).toMatchObject({ kind: "result", value: { status: "error" } });
  }
  expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(before);
  // The same calls from a sign-in a minute old go through (so the refusals above are the window's doing).
  for (const [id, name] of calls) {
    const call = await callAction(await withSignIn(id, sessionVersion(id), Date.now() - 60_000), name, []);
    expect(call.outcome, `${name} with a sign-in a minute old`).toMatchObject({ kind: "result", value: { status: "success" } });
  }
  await callAction(await withSignIn(victim.id, sessionVersion(victim.id), Date.now()), "cancelAuthenticatorChangeAction", []);
  await callAction(await withSignIn(plainId, sessionVersion(plainId), Date.now()), "cancelTwoFactorSetup", []);
});

test("changing the password does not open the ten-minute window (with two-factor on, only a code does)", async () => {
  const { account } = await twoFactorUser(server, "pwchange");
  const id = userId(server.dbPath, account.email);
  const elevenMinutesAgo = Date.now() - 11 * 60_000;
  // An old session and the password, but no authenticator: a stolen cookie plus a phished password.
  const thief = await withSignIn(id, sessionVersion(id), elevenMinutesAgo);
  const changed = await submit(thief, "changePasswordAction", { currentPassword: account.password, newPassword: "thief thief thief", confirmPassword: "thief thief thief" });
  expect(changed.outcome).toMatchObject(succeeded);
  const token = (await readToken(server, thief.sessionToken() ?? "")) as { authTime: number };
  expect(token.authTime, "the re-issued session keeps its sign-in time").toBe(elevenMinutesAgo);
  const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
  for (const name of ["beginAuthenticatorChangeAction", "startSecurityKeyRegistrationAction", "signOutOtherSessionsAction"] as const) {
    expect((await callAction(thief, name, [])).outcome, name).toMatchObject(refused);
  }
  expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(before);
});

test("an older session can neither see nor finish a setup that a recent one started", async () => {
  const elevenMinutesAgo = Date.now() - 11 * 60_000;
  // Change authenticator app: the account holder starts it; a stolen, older cookie of theirs watches.
  const holder = await withSignIn(victim.id, sessionVersion(victim.id), Date.now());
  expect((await callAction(holder, "beginAuthenticatorChangeAction", [])).outcome).toMatchObject(succeeded);
  const newSecret = await readSetupKey(holder, "/settings/change-authenticator");
  const thief = await withSignIn(victim.id, sessionVersion(victim.id), elevenMinutesAgo);
  const seen = await thief.get("/settings/change-authenticator");
  expect(seen.status).toBe(200);
  expect(seen.text.replace(/ /g, "")).not.toContain(newSecret);
  const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
  const finish = await submit(thief, "verifyNewAuthenticatorAction", { code: totpForStep(newSecret, stepAt()) });
  expect(finish.outcome).toMatchObject(refused);
  expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(before);
  expect((await callAction(holder, "cancelAuthenticatorChangeAction", [])).outcome).toMatchObject(succeeded);

  // Enable Two-Factor Authentication: the same for every step that shows or completes the secret.
  const { client: owner, account } = await signUp(server, "watched");
  const id = userId(server.dbPath, account.email);
  expect((await callAction(owner, "beginEnrollment", [])).outcome).toMatchObject(succeeded);
  const secret = await readSetupKey(owner);
  const old = await withSignIn(id, sessionVersion(id), elevenMinutesAgo);
  const page = await old.get("/settings/two-factor");
  expect(page.status).toBe(200);
  expect(page.text.replace(/ /g, "")).not.toContain(secret);
  const untouched = snapshot(server.dbPath, { except: ["auth_throttles"] });
  expect((await submit(old, "verifyEnrollmentCode", { code: totpForStep(secret, stepAt()) })).outcome).toMatchObject(refused);
  expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(untouched);
  // Once the owner has verified, the old session can neither make new codes nor turn two-factor on.
  expect((await submit(owner, "verifyEnrollmentCode", { code: totpForStep(secret, stepAt()) })).outcome).toMatchObject(succeeded);
  const verified = snapshot(server.dbPath, { except: ["auth_throttles"] });
  expect((await callAction(old, "renewEnrollmentBackupCodes", [])).outcome).toMatchObject(refused);
  expect((await submit(old, "acknowledgeBackupCodes", { acknowledged: "on" })).outcome).toMatchObject(refused);
  expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(verified);
  expect((await submit(owner, "acknowledgeBackupCodes", { acknowledged: "on" })).outcome).toMatchObject(succeeded);
});

test("a half-finished sign-in does not survive a password change or 'sign out other sessions'", async () => {
  const { client: owner, account } = await signUp(server, "revoke");
  // The control: a challenge opened now completes (the account has no second factor).
  expect(await secondStep(await halfSignedIn(server, account))).toMatchObject({ ok: true });

  const beforeSignOut = await halfSignedIn(server, account);
  expect((await callAction(owner, "signOutOtherSessionsAction", [])).outcome).toMatchObject(succeeded);
  expect(await secondStep(beforeSignOut)).toMatchObject({ ok: false });

  const beforeChange = await halfSignedIn(server, account);
  const changed = await submit(owner, "changePasswordAction", { currentPassword: account.password, newPassword: "a brand new password", confirmPassword: "a brand new password" });
  expect(changed.outcome).toMatchObject(succeeded);
  const step = await secondStep(beforeChange);
  expect(step.ok).toBe(false);
  expect(step.error ?? "").toMatch(/^restart:/);
});

test("a change that is refused spends no code: a good backup code to remove a key that does not exist", async () => {
  const { client, account, twoFactor } = await twoFactorUser(server, "unspent");
  const code = twoFactor.backupCodes[0] ?? "";
  const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
  const call = await submit(client, "removeSecurityKeyAction", { keyId: "999999", method: "backup", code });
  expect(call.outcome).toMatchObject({ kind: "result", value: { status: "error", message: "That key was not found." } });
  // Nothing at all: the code is not spent, no "backup code used" event and no email about it.
  expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(before);
  await signIn(server, account, { method: "backup", code });
});

test("NextAuth's client-log endpoint is closed: nobody writes into the server's logs", async () => {
  const marker = `forged-log-line-${Date.now()}`;
  const response = await new Client(server).postJson("/api/auth/_log", { level: "error", code: `x\n[email] ${marker}` });
  expect(response.status).toBe(404);
  expect(fs.readFileSync(server.logPath, "utf8")).not.toContain(marker);
});

test("the session-update endpoint cannot change the user, the session version or the sign-in time", async () => {
  const client = await signIn(server, victim.account, { method: "backup", code: victim.twoFactor.backupCodes[5] ?? "" });
  const original = (await readToken(server, client.sessionToken() ?? "")) as { sub: string; sv: number; authTime: number };
  const { csrfToken } = (await client.get("/api/auth/csrf")).json<{ csrfToken: string }>();
  const forged = {
    sub: String(attacker.id),
    id: attacker.id,
    sv: original.sv + 100,
    authTime: Date.now() + 86_400_000,
    user: { id: String(attacker.id), email: attacker.account.email },
    twoFactor: false,
    secondFactorVerified: true,
  };
  for (const body of [{ csrfToken, data: forged }, { csrfToken, ...forged }, { data: forged }]) {
    const response = await client.postJson("/api/auth/session", body);
    expect(response.status).toBeLessThan(500);
    const session = (await client.get("/api/auth/session")).json<{ user?: { id?: string }; authTime?: number }>();
    expect(session.user?.id).toBe(String(victim.id));
    expect(session.authTime).toBe(original.authTime);
    const token = (await readToken(server, client.sessionToken() ?? "")) as { sub: string; sv: number; authTime: number };
    expect({ sub: token.sub, sv: token.sv, authTime: token.authTime }).toEqual({ sub: original.sub, sv: original.sv, authTime: original.authTime });
  }
  // Still the victim, and still signed in.
  expect((await client.get("/settings")).status).toBe(200);
});

test("the password step alone never issues a session, even for an account without two-factor", async () => {
  const { account } = await (async () => {
    const c = new Client(server);
    const a = { email: `plain-${Date.now()}@example.com`, password: `pw-${Date.now()}-plain-horse` };
    const created = await submit(c, "createAccount", { email: a.email, password: a.password, confirmPassword: a.password });
    expect(created.outcome).toMatchObject({ kind: "result", value: { status: "success" } });
    expect(c.sessionToken()).toBeUndefined();
    return { account: a };
  })();
  const client = new Client(server);
  expect((await passwordStep(client, account)).status).toBe(200);
  expect(client.sessionToken()).toBeUndefined();
  for (const path of PROTECTED_PAGES) expect((await client.get(path)).status).toBe(307);
});
