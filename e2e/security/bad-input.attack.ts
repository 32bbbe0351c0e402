// Bad input to every form and endpoint: empty, 1 MB, wrong types, unicode, null bytes, SQL and
// HTML injection, malformed bodies and wrong content types. Each gets a clear 4xx (or, from a
// server action, an error result), never a 500 or a stack trace, and no data changes.
// fast-check generates the email and code fields.
import net from "node:net";
import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { action, callAction, formData, postAction, submit, type ActionCall, type ActionName } from "./support/actions";
import { snapshot, withDb } from "./support/db";
import { csrfToken, halfSignedIn, newAccount, passwordStep, postSecondStep, readSetupKey, secondStep, signIn, signUp, twoFactorUser, type Account, type TwoFactor } from "./support/flows";
import { Client, looksLikeStackTrace, type HttpResponse } from "./support/http";
import { startServer, type Server } from "./support/server";

const ONE_MB = "a".repeat(1024 * 1024);

/**
 * Everywhere a page would send the browser: its links, and the `callbackUrl` props handed to client
 * components (in the RSC payload: JSON strings inside `self.__next_f.push([1, "..."])`).
 */
function destinations(html: string): string[] {
  const entities: Record<string, string> = { "&amp;": "&", "&quot;": '"', "&#x27;": "'", "&lt;": "<", "&gt;": ">" };
  const links = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!.replace(/&(amp|quot|#x27|lt|gt);/g, (e) => entities[e]!));
  const payload = [...html.matchAll(/self\.__next_f\.push\(\[1,("(?:[^"\\]|\\.)*")\]\)/g)].map((m) => JSON.parse(m[1]!) as string).join("");
  const props = [...payload.matchAll(/"callbackUrl":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
  return [...links, ...props];
}

/** Strings an attacker tries in every text field. */
const HOSTILE: [string, string][] = [
  ["empty", ""],
  ["blank", "   \t "],
  ["1 MB", ONE_MB],
  ["unicode", "пароль 🔐 ＡＢＣ ١٢٣٤٥٦ \u202Egnp.exe"],
  ["null bytes", "abc\u0000def\u0000"],
  ["SQL injection", "' OR '1'='1' --; DROP TABLE users; --"],
  ["HTML injection", "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>"],
  ["control characters", "\r\n\t\u0007\u001b[31m\u0085"],
  ["lone surrogate", "\uD800abc\uDFFF"],
  ["operator object as text", '{"$ne":null}'],
  ["fullwidth digits", "１２３４５６"],
  ["10,000 digits", "1".repeat(10_000)],
];

/** Values of the wrong type, for JSON bodies. */
const WRONG_TYPES: [string, unknown][] = [
  ["number", 123456],
  ["boolean", true],
  ["null", null],
  ["array", ["a@example.com"]],
  ["object", { $ne: null }],
  ["nested", { a: { b: { c: [1, 2, { d: "x" }] } } }],
];

let server: Server;
let twoFactorAccount: { client: Client; account: Account; twoFactor: TwoFactor };
let enrolling: { client: Client; account: Account };

test.beforeAll(async () => {
  server = await startServer("bad-input");
  twoFactorAccount = await twoFactorUser(server, "bad-input-2fa");
  enrolling = await signUp(server, "bad-input-enrol");
  expect((await submit(enrolling.client, "beginEnrollment")).outcome).toMatchObject({ value: { status: "success" } });
  await readSetupKey(enrolling.client);
});

test.afterAll(async () => {
  await server?.stop();
});

// Soft assertions: a matrix reports every case that fails, not just the first.
function expectNoLeak(response: HttpResponse, label: string) {
  expect.soft(response.status, `${label}: answered ${response.status}`).toBeLessThan(500);
  expect.soft(looksLikeStackTrace(response.text), `${label}: the answer shows a stack trace or a server path:\n${response.text.slice(0, 500)}`).toBe(false);
  expect.soft(response.text, `${label}: injected HTML is echoed unescaped`).not.toContain("<script>alert(document.cookie)</script>");
}

function expectClean4xx(response: HttpResponse, label: string) {
  expectNoLeak(response, label);
  expect.soft(response.status, `${label}: answered ${response.status}: ${response.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
}

/** A server action may answer a 4xx, or 200 with an error result; never a thrown error (a 500). */
function expectActionRefused(call: ActionCall, label: string) {
  expectNoLeak(call, label);
  if (call.status >= 400) return;
  expect.soft(call.outcome, `${label}: ${call.status} ${call.text.slice(0, 300)}`).toMatchObject({ kind: "result", value: { status: "error" } });
  expect.soft(typeof (call.outcome.kind === "result" ? call.outcome.value.message : undefined), `${label}: an error result says what is wrong`).toBe("string");
}

/** NextAuth refuses with 401 JSON, or (for a form post, or a missing csrf token) a redirect to its error or sign-in page. */
function expectNextAuthRefused(response: HttpResponse, label: string) {
  expectNoLeak(response, label);
  const location = response.location ?? "";
  const redirectRefusal = response.status === 302 && /\/api\/auth\/(error|signin)|\/login\?/.test(location) && !/^\/?$/.test(new URL(location, "http://x").pathname);
  expect.soft(response.status >= 400 || redirectRefusal, `${label}: answered ${response.status} ${location}`).toBe(true);
}

/** Emails that pass validation (so the password check really runs), with a random local part. */
const plausibleEmail = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}[a-z0-9]$/), fc.constantFrom("example.com", "example.org", "mail.example.net"))
  .filter(([local]) => !local.includes(".."))
  .map(([local, domain]) => `${local}@${domain}`);

const unchanged = () => snapshot(server.dbPath, { except: ["auth_throttles"] });

test.describe("POST /api/sign-in (JSON route handler)", () => {
  test("hostile strings and wrong types in email and password: 400, 401 or 413, nothing stored", async () => {
    const before = unchanged();
    const nobody = `nobody-${Date.now()}@example.com`;
    for (const [label, value] of HOSTILE) {
      const asEmail = await new Client(server).postJson("/api/sign-in", { email: value, password: "whatever password" });
      expectClean4xx(asEmail, `email ${label}`);
      expect([400, 413], `email ${label}`).toContain(asEmail.status);
      const asPassword = await new Client(server).postJson("/api/sign-in", { email: nobody, password: value });
      expectClean4xx(asPassword, `password ${label}`);
      expect(asPassword.setCookies.filter((cookie) => cookie.includes("sign-in-challenge"))).toEqual([]);
    }
    for (const [label, value] of WRONG_TYPES) {
      for (const body of [{ email: value, password: "whatever password" }, { email: nobody, password: value }, value]) {
        const response = await new Client(server).postJson("/api/sign-in", body);
        expectClean4xx(response, `wrong type ${label}: ${JSON.stringify(body).slice(0, 80)}`);
        expect(response.status).toBe(400);
      }
    }
    expect(unchanged()).toEqual(before);
  });

  test("malformed JSON, huge and deeply nested bodies, wrong content types: 400, 413 or 415", async () => {
    const before = unchanged();
    const bodies: [string, string | Buffer, string | null, number[]][] = [
      ["empty body", "", "application/json", [400]],
      ["truncated", '{"email":"a@example.com","password":', "application/json", [400]],
      ["not JSON", "email=a@example.com&password=x", "application/json", [400]],
      ["JSON with a BOM", "\uFEFF{}", "application/json", [400]],
      ["1 MB of JSON", JSON.stringify({ email: "a@example.com", password: ONE_MB }), "application/json", [413]],
      ["100,000 nested arrays", "[".repeat(100_000) + "]".repeat(100_000), "application/json", [400, 413]],
      ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "application/json", [400]],
      ["text/plain", JSON.stringify({ email: "a@example.com", password: "x" }), "text/plain", [415]],
      ["form-encoded", "email=a%40example.com&password=x", "application/x-www-form-urlencoded", [415]],
      ["multipart", "--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@example.com\r\n--b--\r\n", "multipart/form-data; boundary=b", [415]],
      ["no content type", JSON.stringify({ email: "a@example.com", password: "x" }), null, [415]],
    ];
    for (const [label, body, type, expected] of bodies) {
      const headers: Record<string, string> = type ? { "content-type": type } : {};
      const response = await new Client(server).request("/api/sign-in", { method: "POST", headers, body });
      expectClean4xx(response, label);
      expect(expected, `${label}: answered ${response.status}`).toContain(response.status);
      expect(response.json<{ message?: string }>().message, `${label}: a JSON message says what is wrong`).toEqual(expect.any(String));
    }
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      expectClean4xx(await new Client(server).request("/api/sign-in", { method }), `${method} /api/sign-in`);
    }
    expect(unchanged()).toEqual(before);
  });

  test("property: any email and any password get 400 or 401 with a message, and never a session", async () => {
    const before = unchanged();
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.emailAddress(), plausibleEmail, fc.constantFrom(...HOSTILE.map(([, v]) => v.slice(0, 2000))), fc.anything()),
        fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 200 }), fc.anything()),
        async (email, password) => {
          const client = new Client(server);
          const response = await client.postJson("/api/sign-in", { email, password });
          expectClean4xx(response, `email ${JSON.stringify(email)?.slice(0, 80)}`);
          expect([400, 401], `${JSON.stringify(email)?.slice(0, 80)} / ${JSON.stringify(password)?.slice(0, 80)}: ${response.text}`).toContain(response.status);
          if (response.status === 401) valid++;
          expect(client.challengeId()).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
    // Some runs reached the password check (401), so the generator exercised both paths.
    expect(valid).toBeGreaterThan(0);
    expect(unchanged()).toEqual(before);
  });
});

test.describe("NextAuth's credentials callback (the second step)", () => {
  test("hostile codes and methods: refused with 401, no session, malformed codes not counted", async () => {
    const client = await halfSignedIn(server, twoFactorAccount.account);
    const csrf = await csrfToken(client);
    const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
    for (const [label, value] of HOSTILE) {
      // 401 from NextAuth, or 413 for a body too large to be a code.
      const refused = label === "1 MB" ? [401, 413] : [401];
      for (const method of ["totp", "backup"]) {
        const step = await postSecondStep(client, csrf, { method, code: value });
        expect.soft(step.ok, `${method} ${label}`).toBe(false);
        expect.soft(refused, `${method} ${label}: ${step.status}`).toContain(step.status);
      }
      const step = await postSecondStep(client, csrf, { method: value, code: "123456" });
      expect.soft(step.ok, `method ${label}`).toBe(false);
      expect.soft(refused, `method ${label}: ${step.status}`).toContain(step.status);
    }
    // A security-key response that is not one is refused the same way.
    for (const [label, value] of HOSTILE) {
      const refused = label === "1 MB" ? [401, 413] : [401];
      const step = await postSecondStep(client, csrf, { method: "webauthn", code: value });
      expect.soft(step.ok, `webauthn ${label}`).toBe(false);
      expect.soft(refused, `webauthn ${label}: ${step.status}`).toContain(step.status);
    }
    // A malformed code or key response is not a guess: no failure counted, the challenge still alive.
    expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(before);
    expect((await postSecondStep(client, csrf, { method: "backup", code: twoFactorAccount.twoFactor.backupCodes[0] ?? "" })).ok).toBe(true);
  });

  test("malformed bodies and other content types: refused, never a 500, never a session, nothing counted", async () => {
    const client = await halfSignedIn(server, twoFactorAccount.account);
    const csrf = await csrfToken(client);
    const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
    const code = twoFactorAccount.twoFactor.backupCodes[1] ?? "";
    const bodies: [string, string, string][] = [
      ["empty", "", "application/x-www-form-urlencoded"],
      ["broken percent-encoding", `csrfToken=${csrf}&code=%E0%A4%A&method=%%%`, "application/x-www-form-urlencoded"],
      ["1 MB code", `csrfToken=${csrf}&json=true&method=totp&code=${ONE_MB}`, "application/x-www-form-urlencoded"],
      ["JSON with wrong types", JSON.stringify({ csrfToken: csrf, json: true, method: ["backup"], code: { $ne: null } }), "application/json"],
      ["malformed JSON", `{"csrfToken":"${csrf}",`, "application/json"],
      ["a code nested 20,000 deep", `{"csrfToken":"${csrf}","json":true,"method":"totp","code":${"[".repeat(20_000)}${"]".repeat(20_000)}}`, "application/json"],
      ["text/plain", `csrfToken=${csrf}&method=backup&code=${code}`, "text/plain"],
    ];
    for (const [label, body, type] of bodies) {
      const response = await client.request("/api/auth/callback/credentials", { method: "POST", headers: { "content-type": type }, body });
      expectNextAuthRefused(response, label);
      expect.soft(client.sessionToken(), `${label}: no session`).toBeUndefined();
    }
    expect(snapshot(server.dbPath, { except: ["auth_throttles"] }), "no failure counted, the challenge still alive").toEqual(before);
    expect((await postSecondStep(client, csrf, { method: "backup", code })).ok).toBe(true);
  });

  test("property: no generated code completes a sign-in, and malformed ones are not counted", async () => {
    const client = await halfSignedIn(server, twoFactorAccount.account);
    const csrf = await csrfToken(client);
    const before = snapshot(server.dbPath, { except: ["auth_throttles"] });
    // Well-formed codes are real guesses (counted, limited); everything else must be refused uncounted.
    const wellFormed = (code: string) => /^\d{6}$/.test(code.replace(/\s+/g, "")) || /^[0-9a-z]{5}-?[0-9a-z]{5}$/i.test(code.trim());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("totp", "backup"),
        fc.oneof(fc.string({ unit: "binary", maxLength: 100 }), fc.string({ unit: "grapheme", maxLength: 20 }), fc.json(), fc.stringMatching(/^[0-9 ]{0,12}$/)),
        async (method, code) => {
          fc.pre(!wellFormed(code));
          const step = await postSecondStep(client, csrf, { method, code });
          expect(step.ok, `${method} ${JSON.stringify(code)}`).toBe(false);
          expect(step.status).toBe(401);
        },
      ),
      { numRuns: 60 },
    );
    expect(snapshot(server.dbPath, { except: ["auth_throttles"] })).toEqual(before);
  });
});

test.describe("server actions", () => {
  /** Every action that takes input, with the field names it reads, called as whom. */
  const FORM_ACTIONS: [ActionName, string[], "2fa" | "enrolling" | "anonymous"][] = [
    ["createAccount", ["email", "password", "confirmPassword"], "anonymous"],
    ["verifyEnrollmentCode", ["code"], "enrolling"],
    ["acknowledgeBackupCodes", ["acknowledged"], "2fa"],
    ["disableTwoFactorAction", ["method", "code"], "2fa"],
    ["generateNewBackupCodesAction", ["method", "code"], "2fa"],
    ["confirmIdentityAction", ["method", "code", "password"], "2fa"],
    ["changePasswordAction", ["currentPassword", "newPassword", "confirmPassword"], "2fa"],
    ["verifyNewAuthenticatorAction", ["code"], "2fa"],
    ["renameSecurityKeyAction", ["keyId", "name"], "2fa"],
    ["removeSecurityKeyAction", ["keyId", "method", "code"], "2fa"],
  ];
  const caller = (who: "2fa" | "enrolling" | "anonymous") =>
    who === "2fa" ? twoFactorAccount.client.clone() : who === "enrolling" ? enrolling.client.clone() : new Client(server);

  test("hostile strings in every field of every form: an error result, never a 500, nothing changes", async () => {
    const before = unchanged();
    for (const [name, fields, who] of FORM_ACTIONS) {
      for (const field of fields) {
        for (const [label, value] of HOSTILE) {
          const fill = Object.fromEntries(fields.map((f) => [f, f === "method" ? "totp" : f === "keyId" ? "1" : "x"]));
          fill[field] = value;
          // confirmPassword must differ from a hostile password that would be a valid one.
          if (name === "createAccount") fill.email = field === "email" ? value : "not-an-email";
          expectActionRefused(await submit(caller(who), name, fill), `${name} ${field}=${label}`);
        }
      }
    }
    expect(unchanged()).toEqual(before);
  });

  test("one bad field with every other field right: the schema alone refuses it, and nothing changes", async () => {
    const { client, account } = await signUp(server, "one-bad-field");
    const before = unchanged();
    const passwords = ["short", "x".repeat(129), "mismatch"];
    for (const password of passwords) {
      const confirmPassword = password === "mismatch" ? "something else entirely" : password;
      const created = await submit(new Client(server), "createAccount", { email: newAccount("one-bad").email, password: password === "mismatch" ? "long enough password" : password, confirmPassword });
      expect(created.outcome, `sign-up with password ${password.slice(0, 12)}`).toMatchObject({ kind: "result", value: { status: "error" } });
      const changed = await submit(client.clone(), "changePasswordAction", {
        currentPassword: account.password,
        newPassword: password === "mismatch" ? "long enough password" : password,
        confirmPassword,
      });
      expect(changed.outcome, `new password ${password.slice(0, 12)}`).toMatchObject({ kind: "result", value: { status: "error" } });
    }
    expect(unchanged()).toEqual(before);
    // The same forms with every field right go through (the refusals above were the schema's).
    const good = "a good new password";
    const ok = await submit(client.clone(), "changePasswordAction", { currentPassword: account.password, newPassword: good, confirmPassword: good });
    expect(ok.outcome).toMatchObject({ kind: "result", value: { status: "success" } });
  });

  test("wrong argument types for every action: an error result, never a 500, nothing changes", async () => {
    const before = unchanged();
    const wrongArgs: [string, unknown[]][] = [
      ["no arguments", []],
      ["a string", ["code=123456"]],
      ["a number", [42]],
      ["null", [null]],
      ["an array", [["123456"]]],
      ["a plain object", [{ code: "123456", method: "totp", email: "a@example.com", password: "x" }]],
      ["two form datas", [formData({ code: "x" }), formData({ code: "y" })]],
      ["a file instead of a field", [formData({ code: new Blob(["123456"]), name: new Blob(["x"]), email: new Blob(["a@example.com"]) })]],
    ];
    for (const [name, , who] of FORM_ACTIONS) {
      for (const [label, args] of wrongArgs) {
        expectActionRefused(await callAction(caller(who), name, args), `${name} with ${label}`);
      }
    }
    for (const [label, input] of [["null", null], ["a string", "x"], ["hostile name", { name: ONE_MB, response: "<script>" }], ["array", [1, 2]]] as [string, unknown][]) {
      expectActionRefused(await callAction(caller("2fa"), "finishSecurityKeyRegistrationAction", [input]), `finishSecurityKeyRegistrationAction with ${label}`);
    }
    expect(unchanged()).toEqual(before);
  });

  test("malformed action requests: a 4xx, never a 500", async () => {
    const before = unchanged();
    const targets: [ActionName, Client][] = [
      ["createAccount", new Client(server)],
      ["disableTwoFactorAction", twoFactorAccount.client.clone()],
    ];
    const multipart = (parts: [string, string][]) => {
      const body = parts.map(([name, value]) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("") + "--b--\r\n";
      return { body, type: "multipart/form-data; boundary=b" };
    };
    const noRoot = multipart([["_1_code", "123456"]]);
    const bigField = multipart([["0", '["$K1"]'], ["_1_code", ONE_MB]]);
    for (const [name, client] of targets) {
      const text = "text/plain;charset=UTF-8";
      const cases: [string, string, string][] = [
        ["not JSON", "{not json", text],
        ["truncated JSON", '["$K1",', text],
        ["not an array", '"$1"', text],
        ["more than 1 MB", JSON.stringify([ONE_MB + ONE_MB]), text],
        ["nested 400,000 deep", "[".repeat(400_000) + "]".repeat(400_000), text],
        // References to parts that were never sent (React's reply format): a Map, a Blob, a chunk, a stream...
        ...["$Q1", "$W1", "$B1", "$1", "$h1", "$F1", "$i", "$S", "$l", "$1:__proto__:constructor"].map(
          (reference): [string, string, string] => [`dangling reference ${reference}`, JSON.stringify([reference]), text],
        ),
        ["multipart without its root field", noRoot.body, noRoot.type],
        ["multipart with a 1 MB field", bigField.body, bigField.type],
        ["form-encoded", "code=123456", "application/x-www-form-urlencoded"],
      ];
      for (const [label, body, type] of cases) {
        const call = await postAction(client.clone(), name, body, { headers: { "content-type": type } });
        expectClean4xx(call, `${name}: ${label}`);
      }
    }
    // An action id that does not exist, and one of the wrong shape.
    for (const id of ["40" + "0".repeat(40), "not-an-action"]) {
      const response = await new Client(server).request("/signup", { method: "POST", headers: { "next-action": id, "content-type": "text/plain;charset=UTF-8" }, body: "[]" });
      expectClean4xx(response, `Next-Action: ${id}`);
    }
    expect(unchanged()).toEqual(before);
  });

  test("bodies sent in chunks with no length, far over the limit: 413, the server unharmed", async () => {
    const before = unchanged();
    const { origin } = server;
    const signUp = action("createAccount");
    // Route handlers read the body themselves and stop at their limit. Next.js reads a server
    // action's body through before the proxy sees it, keeping only its first 1 MB (next.config.ts).
    const targets: [string, string, Record<string, string>, boolean][] = [
      ["password step", "/api/sign-in", { "content-type": "application/json" }, true],
      ["NextAuth's callback", "/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded" }, true],
      ["a server action", signUp.page, { "content-type": "text/plain;charset=UTF-8", "next-action": signUp.id }, false],
    ];
    for (const [label, path, headers, early] of targets) {
      const { status, sentBytes } = await sendEndlessChunks(server.port, path, { ...headers, origin });
      expect(status, label).toBe(413);
      if (early) expect(sentBytes, `${label}: refused long before 16 MB were sent`).toBeLessThan(16 * 1024 * 1024);
    }
    expect((await new Client(server).get("/login")).status).toBe(200);
    expect(unchanged()).toEqual(before);
  });

  test("property: any email at sign-up is refused or stored exactly as normalised, never a 500", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(plausibleEmail, fc.emailAddress(), fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom(...HOSTILE.map(([, v]) => v.slice(0, 1000)))),
        async (email) => {
          const before = withDb(server.dbPath, (db) => (db.prepare("SELECT COUNT(*) AS n FROM users").get() as { n: number }).n);
          const password = newAccount().password;
          const call = await submit(new Client(server), "createAccount", { email, password, confirmPassword: password });
          expectNoLeak(call, `email ${JSON.stringify(email).slice(0, 80)}`);
          expect(call.outcome.kind, `${JSON.stringify(email).slice(0, 80)}: ${call.status}`).toBe("result");
          const after = withDb(server.dbPath, (db) => (db.prepare("SELECT COUNT(*) AS n FROM users").get() as { n: number }).n);
          if (call.outcome.kind === "result" && call.outcome.value.status === "success") {
            accepted++;
            expect(after).toBe(before + 1);
            const stored = withDb(server.dbPath, (db) => db.prepare("SELECT email FROM users WHERE email = ?").get(email.trim().toLowerCase()));
            expect(stored, `stored as ${email.trim().toLowerCase()}`).toBeTruthy();
          } else {
            expect(after).toBe(before);
          }
        },
      ),
      { numRuns: 50 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  test("property: no generated code disables two-factor or completes the enrolment", async () => {
    const wellFormed = (code: string) => /^\d{6}$/.test(code.replace(/\s+/g, "")) || /^[0-9a-z]{5}-?[0-9a-z]{5}$/i.test(code.trim());
    const before = unchanged();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("totp", "backup"),
        fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 20 }), fc.stringMatching(/^[0-9 ]{0,12}$/)),
        async (method, code) => {
          fc.pre(!wellFormed(code));
          expectActionRefused(await submit(twoFactorAccount.client.clone(), "disableTwoFactorAction", { method, code }), `disable ${JSON.stringify(code)}`);
          expectActionRefused(await submit(enrolling.client.clone(), "verifyEnrollmentCode", { code }), `enrol ${JSON.stringify(code)}`);
        },
      ),
      { numRuns: 60 },
    );
    expect(unchanged()).toEqual(before);
  });
});

test("a password with unicode and null bytes works exactly, and is not cut at the null byte", async () => {
  const account = newAccount("nul");
  const password = `ünï\u0000cødé-${account.password}`;
  const client = new Client(server);
  const created = await submit(client, "createAccount", { email: account.email, password, confirmPassword: password });
  expect(created.outcome).toMatchObject({ kind: "result", value: { status: "success" } });
  expect((await passwordStep(new Client(server), { email: account.email, password })).status).toBe(200);
  expect((await passwordStep(new Client(server), { email: account.email, password: "ünï" })).status).toBe(401);
  expect((await passwordStep(new Client(server), { email: account.email, password: password.normalize("NFD") })).status).toBe(401);
});

test("hostile query strings and paths: no 500, no stack trace, no open redirect, nothing reflected raw", async () => {
  const signedIn = await signIn(server, twoFactorAccount.account, { method: "backup", code: twoFactorAccount.twoFactor.backupCodes[2] ?? "" });
  const callbackPages = (target: string): [Client, string][] => [
    [new Client(server), `/login?callbackUrl=${encodeURIComponent(target)}`],
    [signedIn, `/backup-code-used?callbackUrl=${encodeURIComponent(target)}`],
    [signedIn, `/login?callbackUrl=${encodeURIComponent(target)}`],
  ];
  // The control: a same-site destination does reach the page, so the check below sees it.
  for (const [client, path] of callbackPages("/settings/activity").slice(0, 2)) {
    expect(destinations((await client.get(path)).text), path).toContain("/settings/activity");
  }
  // Browsers drop tabs and newlines inside a URL and read "\" as "/": "/<tab>/evil.example" is "//evil.example".
  const offsite = ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\\evil.example", "javascript:alert(1)", "%2F%2Fevil.example", "/%0d%0aSet-Cookie:x=y"];
  for (const target of offsite) {
    for (const [client, path] of callbackPages(target)) {
      const response = await client.get(path);
      expectNoLeak(response, path);
      const where = [response.location, ...destinations(response.text)].filter((url): url is string => url !== null && url !== undefined);
      for (const url of where) expect(new URL(url, server.baseURL).origin, `${path} sends the browser to ${JSON.stringify(url)}`).toBe(new URL(server.baseURL).origin);
      expect(response.headers.get("set-cookie") ?? "").not.toContain("x=y");
    }
  }
  const paths = [
    "/login?error=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
    "/api/auth/error?error=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
    "/login?callbackUrl=" + "a".repeat(8000),
    "/%00",
    "/settings%00",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/_next/static/..%2f..%2fserver%2fapp%2fpage.js",
    "/api/auth/%2e%2e/%2e%2e/etc/passwd",
    "/api/auth/callback/nope",
    "/api/auth/signin/nope",
    "/settings?notice=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
    "/settings?activityBefore=1-1%27%20OR%201%3D1--",
    "/settings?activityBefore=99999999999999999999-1",
    "/settings?activityBefore=-1--1&activityBefore=2-2",
  ];
  for (const path of paths) {
    for (const client of [new Client(server), signedIn]) {
      const response = await client.get(path);
      expectNoLeak(response, path);
      expect(response.text).not.toMatch(/root:x:0:0|"use strict"/);
    }
  }
  // A header too large for the server, and a cookie full of junk.
  // Node answers 431 and closes the connection, sometimes before the client has read the answer.
  const big = await new Client(server).get("/login", { headers: { cookie: `junk=${"x".repeat(100_000)}` } }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ECONNRESET" || error.code === "EPIPE") return null;
    throw error;
  });
  if (big) expect([200, 431], `oversized cookie: ${big.status}`).toContain(big.status);
  expect((await new Client(server).get("/login")).status, "the server is still up").toBe(200);
  const junk = new Client(server);
  junk.jar.set("next-auth.session-token", "%00%ff<script>");
  junk.jar.set("sign-in-challenge", "'; DROP TABLE sign_in_challenges; --");
  for (const path of ["/", "/settings", "/login", "/api/auth/session"]) expectNoLeak(await junk.get(path), `junk cookies ${path}`);
  expect((await secondStep(junk, { method: "totp", code: "123456" })).ok).toBe(false);
});


/**
 * POSTs 64 KiB chunks (Transfer-Encoding: chunked, no Content-Length) over a raw socket until the
 * server answers or 16 MB are out; returns the answer's status (0: closed without one) and how much
 * was sent by then. A raw socket, because an HTTP client drops an answer that arrives while it is
 * still writing. No "Connection: close": the server would then close with unread data, and the
 * TCP reset can discard its answer before it is read.
 */
function sendEndlessChunks(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; sentBytes: number }> {
  const chunk = Buffer.concat([Buffer.from(`${(64 * 1024).toString(16)}\r\n`), Buffer.alloc(64 * 1024, "a"), Buffer.from("\r\n")]);
  const head = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Transfer-Encoding: chunked", ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return new Promise((resolve) => {
    let sentBytes = 0;
    let received = "";
    const status = () => Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(`${head.join("\r\n")}\r\n\r\n`);
      pump();
    });
    const pump = () => {
      while (status() === 0 && sentBytes < 16 * 1024 * 1024 && !socket.destroyed) {
        sentBytes += 64 * 1024;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      if (status() === 0 && !socket.destroyed) socket.write("0\r\n\r\n");
    };
    socket.on("data", (data) => {
      received += data.toString("latin1");
      if (status() !== 0) socket.destroy();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve({ status: status(), sentBytes }));
  });
}
