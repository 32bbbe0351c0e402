// The app's flows driven over HTTP as a browser (or an attacker's script) would.
import crypto from "node:crypto";
import { expect } from "@playwright/test";
import { submit } from "./actions";
import { Client } from "./http";
import { recordSecret } from "./run-dir";
import type { Server } from "./server";
import { stepAt, totpForStep } from "./totp";

export type Account = { email: string; password: string };
export type TwoFactor = { secret: string; backupCodes: string[]; usedStep: number };

let counter = 0;

/** A fresh address and a distinctive password (so the secrets scan can find it anywhere). */
export function newAccount(prefix = "user"): Account {
  counter++;
  const password = `pw-${crypto.randomBytes(9).toString("base64url")}-horse`;
  recordSecret("password", password);
  return { email: `${prefix}-${Date.now().toString(36)}-${counter}-${crypto.randomBytes(3).toString("hex")}@example.com`, password };
}

export type SecondStep = { status: number; ok: boolean; error: string | null };

/** Step 1: POST /api/sign-in (a JSON route handler); opens the challenge cookie. */
export async function passwordStep(client: Client, account: Account) {
  const response = await client.postJson("/api/sign-in", { email: account.email, password: account.password });
  const challenge = client.challengeId();
  if (challenge) recordSecret("challenge-id", challenge);
  return response;
}

export async function csrfToken(client: Client): Promise<string> {
  return (await client.get("/api/auth/csrf")).json<{ csrfToken: string }>().csrfToken;
}

/** Step 2 with a csrf token fetched beforehand: many of these can be fired at the same instant. */
export async function postSecondStep(client: Client, csrf: string, fields: Record<string, string> = {}, origin?: string | null): Promise<SecondStep> {
  const hadSession = client.sessionToken();
  const response = await client.postForm(
    "/api/auth/callback/credentials",
    { ...fields, csrfToken: csrf, callbackUrl: "/", json: "true" },
    origin === undefined ? {} : { origin },
  );
  let error: string | null = null;
  try {
    const url = response.json<{ url?: string }>().url;
    error = url ? new URL(url).searchParams.get("error") : null;
  } catch {
    error = `unparsed: ${response.status}`;
  }
  const token = client.sessionToken();
  if (token) recordSecret("session-token", token);
  const ok = response.status === 200 && error === null && token !== undefined && token !== hadSession;
  return { status: response.status, ok, error };
}

/** Step 2: NextAuth's credentials callback with the csrf token, as next-auth/react's signIn() posts it. */
export async function secondStep(client: Client, fields: Record<string, string> = {}, origin?: string | null): Promise<SecondStep> {
  return postSecondStep(client, await csrfToken(client), fields, origin);
}

export async function signUp(server: Server, prefix = "user"): Promise<{ client: Client; account: Account }> {
  const client = new Client(server);
  const account = newAccount(prefix);
  const created = await submit(client, "createAccount", {
    email: account.email,
    password: account.password,
    confirmPassword: account.password,
  });
  expect(created.outcome, `sign-up of ${account.email}`).toMatchObject({ kind: "result", value: { status: "success" } });
  const done = await secondStep(client);
  expect(done, "sign-up completes the sign-in").toMatchObject({ ok: true });
  return { client, account };
}

/** Password step only: a client holding a live sign-in challenge and no session. */
export async function halfSignedIn(server: Server, account: Account): Promise<Client> {
  const client = new Client(server);
  const response = await passwordStep(client, account);
  expect(response.status, `password step for ${account.email}: ${response.text}`).toBe(200);
  expect(client.challengeId()).toBeTruthy();
  return client;
}

export async function signIn(server: Server, account: Account, factor?: { method: "totp" | "backup"; code: string }): Promise<Client> {
  const client = await halfSignedIn(server, account);
  const done = await secondStep(client, factor ?? {});
  expect(done, `second step for ${account.email}`).toMatchObject({ ok: true });
  return client;
}

/** The secret from a scan step (the setup key under "Can't scan?", in groups of four). */
export async function readSetupKey(client: Client, path = "/settings/two-factor"): Promise<string> {
  const page = await client.get(path);
  expect(page.status).toBe(200);
  const secret = /\b[A-Z2-7]{4}(?: [A-Z2-7]{4}){7}\b/.exec(page.text)?.[0]?.replace(/ /g, "");
  if (!secret) throw new Error(`no setup key on ${path}`);
  recordSecret("totp-secret", secret);
  return secret;
}

/** Turns two-factor on through the wizard's actions; returns what later sign-ins need. */
export async function enableTwoFactor(client: Client): Promise<TwoFactor> {
  const begun = await submit(client, "beginEnrollment");
  expect(begun.outcome).toMatchObject({ kind: "result", value: { status: "success" } });
  const secret = await readSetupKey(client);
  const usedStep = stepAt();
  const verified = await submit(client, "verifyEnrollmentCode", { code: totpForStep(secret, usedStep) });
  expect(verified.outcome).toMatchObject({ kind: "result", value: { status: "success" } });
  const backupCodes = (verified.outcome.kind === "result" ? (verified.outcome.value.data as { codes: string[] }).codes : []) ?? [];
  expect(backupCodes).toHaveLength(10);
  for (const code of backupCodes) recordSecret("backup-code", code);
  const acknowledged = await submit(client, "acknowledgeBackupCodes", { acknowledged: "on" });
  expect(acknowledged.outcome).toMatchObject({ kind: "result", value: { status: "success" } });
  const token = client.sessionToken();
  if (token) recordSecret("session-token", token);
  return { secret, backupCodes, usedStep };
}

/** A signed-in user with two-factor on. */
export async function twoFactorUser(server: Server, prefix = "tf"): Promise<{ client: Client; account: Account; twoFactor: TwoFactor }> {
  const { client, account } = await signUp(server, prefix);
  return { client, account, twoFactor: await enableTwoFactor(client) };
}

/** Runs `work` over `items` with at most `limit` at a time (argon2 is capped per server). */
export async function inBatches<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T, index);
      }
    }),
  );
  return results;
}
