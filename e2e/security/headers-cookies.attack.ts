// Headers and cookies: a nonce-based Content-Security-Policy on every page (no unsafe-inline or
// unsafe-eval scripts in production), nothing may frame the app (the QR page included),
// Referrer-Policy, nosniff and HSTS; every cookie HttpOnly and SameSite=Lax, and Secure with
// __Host-/__Secure- names when the app is served over https. Cross-origin posts are refused.
import { expect, test } from "@playwright/test";
import { callAction, submit } from "./support/actions";
import { userId, withDb } from "./support/db";
import { csrfToken, halfSignedIn, postSecondStep, readSetupKey, secondStep, signIn, signUp, twoFactorUser } from "./support/flows";
import { Client, parseSetCookie, type HttpResponse } from "./support/http";
import { startServer, type Server } from "./support/server";

let server: Server;

test.beforeAll(async () => {
  server = await startServer("headers");
});

test.afterAll(async () => {
  await server?.stop();
});

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

/** The page's CSP, checked; returns its script nonce. */
function expectStrictPage(response: HttpResponse, label: string): string {
  expect(response.status, label).toBe(200);
  const csp = response.headers.get("content-security-policy");
  expect(csp, `${label}: Content-Security-Policy`).toBeTruthy();
  const policy = directives(csp ?? "");
  const scripts = policy.get("script-src") ?? policy.get("default-src") ?? [];
  const nonce = scripts.find((value) => value.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
  expect(nonce, `${label}: script-src has a nonce (${csp})`).toBeTruthy();
  expect(nonce!.length, `${label}: the nonce has at least 128 bits`).toBeGreaterThanOrEqual(22);
  for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:", "blob:"]) {
    expect(scripts, `${label}: script-src must not allow ${forbidden}`).not.toContain(forbidden);
  }
  expect(policy.get("default-src"), label).toEqual(["'self'"]);
  expect(policy.get("object-src"), label).toEqual(["'none'"]);
  expect(["'self'", "'none'"], `${label}: base-uri`).toContain(policy.get("base-uri")?.join(" "));
  expect(policy.get("form-action"), label).toEqual(["'self'"]);
  expect(policy.get("frame-ancestors"), `${label}: nothing may frame the page`).toEqual(["'none'"]);
  expect(response.headers.get("x-frame-options"), label).toBe("DENY");
  // Every script the page carries has this response's nonce; no inline event handlers.
  const tags = response.text.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length, `${label}: the page has scripts`).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, `${label}: a script without the nonce`).toContain(`nonce="${nonce}"`);
  expect(response.text, `${label}: inline event handler`).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
  expectStaticHeaders(response, label);
  return nonce!;
}

function expectStaticHeaders(response: HttpResponse, label: string) {
  expect(response.headers.get("x-content-type-options"), `${label}: nosniff`).toBe("nosniff");
  expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"], `${label}: Referrer-Policy`).toContain(
    response.headers.get("referrer-policy"),
  );
  const hsts = response.headers.get("strict-transport-security") ?? "";
  expect(Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0), `${label}: HSTS for at least 180 days (${hsts})`).toBeGreaterThanOrEqual(180 * 24 * 3600);
  expect(response.headers.get("x-powered-by"), `${label}: no framework banner`).toBeNull();
}

function expectCookieFlags(setCookies: string[], { secure }: { secure: boolean }) {
  expect(setCookies.length).toBeGreaterThan(0);
  for (const raw of setCookies) {
    const { name, value, attributes } = parseSetCookie(raw);
    // A deletion (empty value, expiry in the past) carries nothing to protect.
    if (value === "" && Date.parse(attributes.get("expires") ?? "") < Date.now()) continue;
    expect(attributes.has("httponly"), `${name} is HttpOnly: ${raw}`).toBe(true);
    expect(attributes.get("samesite")?.toLowerCase(), `${name} is SameSite=Lax: ${raw}`).toBe("lax");
    expect(attributes.get("path"), `${name} Path: ${raw}`).toBe("/");
    if (secure) {
      expect(attributes.has("secure"), `${name} is Secure: ${raw}`).toBe(true);
      expect(name, `${name} carries a __Host- or __Secure- prefix`).toMatch(/^__(Host|Secure)-/);
      if (name.startsWith("__Host-")) expect(attributes.has("domain"), `${name} has no Domain`).toBe(false);
    }
  }
}

test("every page: a nonce CSP without unsafe-inline or unsafe-eval, frame-ancestors 'none', and the security headers", async () => {
  const anonymous = new Client(server);
  const nonces = new Set<string>();
  for (const path of ["/login", "/signup", "/login?callbackUrl=%2Fsettings"]) nonces.add(expectStrictPage(await anonymous.get(path), path));
  const { client } = await signUp(server, "headers");
  const notFound = await client.get("/no-such-page");
  expect(notFound.status).toBe(404);
  expect(notFound.headers.get("content-security-policy") ?? "").toContain("frame-ancestors 'none'");

  for (const path of ["/", "/settings", "/backup-code-used"]) nonces.add(expectStrictPage(await client.get(path), path));
  // The QR code page (the wizard's scan step) must not be framable: it shows the TOTP secret.
  expect((await submit(client, "beginEnrollment")).outcome).toMatchObject({ value: { status: "success" } });
  const qr = await client.get("/settings/two-factor");
  expect(qr.text).toContain("QR code");
  nonces.add(expectStrictPage(qr, "/settings/two-factor (scan step with the QR code)"));
  // A fresh nonce on every response.
  nonces.add(expectStrictPage(await client.get("/settings/two-factor"), "/settings/two-factor again"));
  expect(nonces.size).toBe(8);
});

test("the change-authenticator QR page is not framable either", async () => {
  const { client } = await twoFactorUser(server, "headers-change");
  expect((await callAction(client, "beginAuthenticatorChangeAction", [])).outcome).toMatchObject({ value: { status: "success" } });
  const page = await client.get("/settings/change-authenticator");
  await readSetupKey(client, "/settings/change-authenticator");
  expectStrictPage(page, "/settings/change-authenticator (QR code)");
});

test("API and NextAuth answers carry nosniff, Referrer-Policy and HSTS, and are not cached", async () => {
  const client = new Client(server);
  const responses: [string, HttpResponse][] = [
    ["POST /api/sign-in", await client.postJson("/api/sign-in", { email: "nobody@example.com", password: "nope" })],
    ["POST /api/sign-in/security-key", await client.request("/api/sign-in/security-key", { method: "POST" })],
    ["GET /api/auth/session", await client.get("/api/auth/session")],
    ["GET /api/auth/csrf", await client.get("/api/auth/csrf")],
  ];
  for (const [label, response] of responses) {
    expectStaticHeaders(response, label);
    expect(response.headers.get("content-type") ?? "", label).toContain("application/json");
  }
  for (const [label, response] of responses.slice(0, 2)) expect(response.headers.get("cache-control") ?? "", label).toContain("no-store");
});

test("over http: every cookie the app sets is HttpOnly and SameSite=Lax", async () => {
  const { client, account, twoFactor } = await twoFactorUser(server, "cookies");
  const again = await halfSignedIn(server, account);
  await secondStep(again, { method: "backup", code: twoFactor.backupCodes[0] ?? "" });
  await again.request("/api/auth/signout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrfToken=${await csrfToken(again)}` });
  const names = new Set([...client.setCookieLog, ...again.setCookieLog].map((raw) => parseSetCookie(raw).name));
  for (const expected of ["sign-in-challenge", "next-auth.session-token", "next-auth.csrf-token"]) expect(names).toContain(expected);
  expectCookieFlags([...client.setCookieLog, ...again.setCookieLog], { secure: false });
});

test("over https (production): every cookie is Secure with a __Host-/__Secure- name, and the CSP upgrades requests", async () => {
  const https = await startServer("headers-https", { scheme: "https" });
  try {
    const { client, account, twoFactor } = await twoFactorUser(https, "https");
    const again = await halfSignedIn(https, account);
    expect((await secondStep(again, { method: "backup", code: twoFactor.backupCodes[0] ?? "" })).ok).toBe(true);
    const setCookies = [...client.setCookieLog, ...again.setCookieLog];
    const names = new Set(setCookies.map((raw) => parseSetCookie(raw).name));
    for (const expected of ["__Host-sign-in-challenge", "__Secure-next-auth.session-token", "__Host-next-auth.csrf-token"]) expect(names).toContain(expected);
    expectCookieFlags(setCookies, { secure: true });
    const page = await again.get("/settings");
    expectStrictPage(page, "https /settings");
    expect(directives(page.headers.get("content-security-policy") ?? "").has("upgrade-insecure-requests")).toBe(true);
  } finally {
    await https.stop();
  }
});

test.describe("cross-origin posts are refused", () => {
  // The last one starts with the app's own origin: a prefix match would let it through.
  const foreign = () => ["https://evil.example", "null", "http://localhost.evil.example", `${server.origin}.evil.example`];

  test("server actions: refused with a 4xx (also with no Origin at all), and nothing happens", async () => {
    const { client, account, twoFactor } = await twoFactorUser(server, "csrf-actions");
    const id = userId(server.dbPath, account.email);
    const state = () => withDb(server.dbPath, (db) => db.prepare("SELECT u.session_version AS sv, (SELECT COUNT(*) FROM two_factor WHERE user_id = u.id) AS on2fa, (SELECT COUNT(*) FROM users) AS users FROM users u WHERE u.id = ?").get(id));
    const before = state();
    for (const origin of [...foreign(), null]) {
      const calls = [
        await submit(client.clone(), "disableTwoFactorAction", { method: "backup", code: twoFactor.backupCodes[0] ?? "" }, { origin }),
        await callAction(client.clone(), "signOutOtherSessionsAction", [], { origin }),
        await submit(new Client(server), "createAccount", { email: `csrf-${Date.now()}@example.com`, password: "csrf password 1", confirmPassword: "csrf password 1" }, { origin }),
      ];
      for (const call of calls) {
        expect.soft(call.status, `Origin ${origin}: ${call.status} ${call.text.slice(0, 120)}`).toBeGreaterThanOrEqual(400);
        expect.soft(call.status, `Origin ${origin}: a refusal, not a server error`).toBeLessThan(500);
      }
    }
    expect(state()).toEqual(before);
    // The same requests from the app's own origin work (the refusal above was about the origin).
    expect((await callAction(client, "signOutOtherSessionsAction", [])).outcome).toMatchObject({ value: { status: "success" } });
  });

  test("the password step and security-key options: 403", async () => {
    const { account } = await signUp(server, "csrf-password");
    for (const origin of [...foreign(), null]) {
      const client = new Client(server);
      const response = await client.postJson("/api/sign-in", { email: account.email, password: account.password }, { origin });
      expect(response.status, `Origin ${origin}`).toBe(403);
      expect(client.challengeId()).toBeUndefined();
    }
    const half = await halfSignedIn(server, account);
    for (const origin of [...foreign(), null]) {
      expect((await half.clone().request("/api/sign-in/security-key", { method: "POST", origin })).status, `Origin ${origin}`).toBe(403);
    }
  });

  test("NextAuth's endpoints: no session from a foreign origin, no sign-out, no session update", async () => {
    const { account, twoFactor } = await twoFactorUser(server, "csrf-nextauth");
    for (const [index, origin] of foreign().entries()) {
      // The second step, with a live challenge, a valid csrf token and a valid code: only the origin is wrong.
      const half = await halfSignedIn(server, account);
      const step = await postSecondStep(half, await csrfToken(half), { method: "backup", code: twoFactor.backupCodes[index] ?? "" }, origin);
      expect.soft(step.ok, `callback from Origin ${origin} issued a session`).toBe(false);
      expect.soft(step.status, `callback from Origin ${origin}`).toBe(403);
    }
    const signedIn = await signIn(server, account, { method: "backup", code: twoFactor.backupCodes[5] ?? "" });
    for (const origin of foreign()) {
      const csrf = await csrfToken(signedIn);
      const signOut = await signedIn.clone().request("/api/auth/signout", {
        method: "POST",
        origin,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken: csrf, callbackUrl: "/", json: "true" }).toString(),
      });
      expect.soft(signOut.status, `signout from Origin ${origin}`).toBe(403);
      const update = await signedIn.clone().postJson("/api/auth/session", { csrfToken: csrf, data: {} }, { origin });
      expect.soft(update.status, `session update from Origin ${origin}`).toBe(403);
    }
    expect((await signedIn.get("/settings")).status).toBe(200);
  });
});
