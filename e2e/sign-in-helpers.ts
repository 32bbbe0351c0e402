// Helpers for signing in with a second factor: turn two-factor on through the wizard (reading
// the setup key, not the QR code: the setup spec tests that), pass the password step, submit
// codes, and talk to NextAuth's endpoints directly as an attacker's script would.
import type { BrowserContext, Locator, Page } from "@playwright/test";
import { expect, formAlert, settingsLink, submitSignIn, type Credentials } from "./fixtures";
import { readBackupCodesDownload, TOTP_PERIOD_SECONDS, totpCode, totpStep } from "./two-factor-helpers";

export const CODE_PROMPT = "Enter the code from your authenticator app";
export const WRONG_PASSWORD_MESSAGE = "Incorrect email or password.";
export const REPLAY_MESSAGE = "That code was already used. Wait for the next code in your app.";
export const USED_BACKUP_CODE_MESSAGE = "This backup code has already been used.";
export const CANCELLED_MESSAGE = "Too many wrong codes. For your security, enter your email and password again.";
export const LOCKED_MESSAGE = /^Too many attempts\. Try again after \d{2}:\d{2} UTC\.$/;

export const CHALLENGE_COOKIE = "sign-in-challenge";
export const SESSION_COOKIE = "next-auth.session-token";

export type TwoFactorAccount = {
  /** The base32 TOTP secret, from the "Can't scan?" setup key. */
  secret: string;
  /** The 10 backup codes, `xxxxx-xxxxx`, as downloaded (and checked against the page). */
  backupCodes: string[];
  /** The time step whose code turned two-factor on: the server refuses it, and older ones, from now on. */
  usedStep: number;
};

export const codeField = (page: Page) => page.getByLabel("Authentication code", { exact: true });
export const backupCodeField = (page: Page) => page.getByLabel("Backup code", { exact: true });
export const mainButton = (page: Page, name: string) => page.getByRole("main").getByRole("button", { name, exact: true });
export const verifyButton = (page: Page) => mainButton(page, "Verify");
export const backupCodeSwitch = (page: Page) => mainButton(page, "Use a backup code instead");
export const appCodeSwitch = (page: Page) => mainButton(page, "Use your authenticator app instead");
export const signInButton = (page: Page) => mainButton(page, "Sign in");

/**
 * Turns two-factor on for the signed-in user through Settings and the wizard, then returns to
 * Settings. The code comes from oathtool for the setup key shown under "Can't scan?".
 */
export async function enableTwoFactor(page: Page): Promise<TwoFactorAccount> {
  const main = page.getByRole("main");
  await settingsLink(page).click();
  await expect(page).toHaveURL("/settings");
  await main.getByRole("link", { name: "Enable Two-Factor Authentication", exact: true }).click();
  await expect(page).toHaveURL("/settings/two-factor");
  await mainButton(page, "Continue").click();

  await expect(main.getByRole("img", { name: /QR code/ })).toBeVisible();
  await main.getByText("Can't scan?", { exact: true }).click();
  const secret = (await main.getByLabel("Setup key", { exact: true }).innerText()).replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await mainButton(page, "Continue").click();

  const at = Date.now();
  await codeField(page).fill(totpCode(secret, at));
  await verifyButton(page).click();

  const list = main.getByRole("list", { name: "Your backup codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const shown = (await list.getByRole("listitem").allInnerTexts()).map((code) => code.trim());
  const download = page.waitForEvent("download");
  await mainButton(page, "Download").click();
  const { codes } = await readBackupCodesDownload(await download);
  expect(codes).toEqual(shown);

  await main.getByRole("checkbox", { name: "I have downloaded my backup codes" }).check();
  await mainButton(page, "Return to Settings").click();
  // Settings may carry a notice in its query (?notice=two-factor-on).
  await expect(page).toHaveURL(/\/settings(?:\?.*)?$/);
  await expect(page.getByText("Two-factor authentication is on", { exact: true })).toBeVisible();
  return { secret, backupCodes: codes, usedStep: totpStep(at) };
}

/**
 * A code for a time step newer than `afterStep` that the server (±1 step) accepts now: the next
 * step's code, so right after enrolling there is no wait. Waits only when the clock has to
 * catch up (a second TOTP sign-in within the same half minute).
 */
export async function codeNewerThan(page: Page, secret: string, afterStep: number): Promise<{ code: string; step: number }> {
  const periodMs = TOTP_PERIOD_SECONDS * 1000;
  // The server's current step must be at least afterStep for afterStep + 1 to be in its window.
  const waitMs = afterStep * periodMs - Date.now();
  if (waitMs > 0) await page.waitForTimeout(waitMs + 100);
  const step = Math.max(afterStep + 1, totpStep() + 1);
  return { code: totpCode(secret, step * periodMs), step };
}

/** Password step of a two-factor account: ends on the code form, with no session yet. */
export async function passPasswordStep(page: Page, { email, password }: Credentials) {
  await submitSignIn(page, email, password);
  await expect(page.getByText(CODE_PROMPT, { exact: true })).toBeVisible();
  await expect(codeField(page)).toBeVisible();
}

/** Types `code` into whichever second-factor field shows, presses Verify and waits for NextAuth's answer. */
export async function submitSecondFactor(page: Page, code: string) {
  await codeField(page).or(backupCodeField(page)).fill(code);
  const answer = page.waitForResponse((response) => response.url().includes("/api/auth/callback/credentials"));
  await verifyButton(page).click();
  await answer;
}

/** Submits a wrong code and checks the form's message (the same text each time, so wait for the answer). */
export async function submitWrongCode(page: Page, code: string, expected: string | RegExp) {
  await submitSecondFactor(page, code);
  // The button reads "Verifying…" until the answer is on screen: only then is the alert this attempt's.
  await expect(verifyButton(page), "the code form should still be there after a refused code").toBeEnabled();
  await expect(formAlert(page)).toHaveText(expected);
}

export async function switchToBackupCode(page: Page) {
  await backupCodeSwitch(page).click();
  await expect(backupCodeField(page)).toBeVisible();
}

export async function cookieNames(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((cookie) => cookie.name);
}

/** The password form, back after the challenge ended. */
export function passwordForm(page: Page): Locator {
  return page.getByRole("form", { name: "Sign in" });
}

/**
 * POSTs to NextAuth's credentials callback as a script would: csrf token first, then the form,
 * with the context's cookies (the challenge cookie included). Returns the status and the error
 * NextAuth reports (`retry:…` / `restart:…`), or null when it reports none.
 */
export async function postCredentialsCallback(
  page: Page,
  fields: Record<string, string>,
): Promise<{ status: number; error: string | null }> {
  const csrf = await page.request.get("/api/auth/csrf");
  expect(csrf.ok()).toBe(true);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/credentials", {
    // As a same-site script would: cross-origin posts are refused before NextAuth sees them.
    headers: { origin: new URL(csrf.url()).origin },
    form: { ...fields, csrfToken, callbackUrl: "/", json: "true" },
    maxRedirects: 0,
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  const error = body.url ? new URL(body.url).searchParams.get("error") : null;
  return { status: response.status(), error };
}

/** "HH:MM UTC", as the lock message shows it. */
export function utcClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}
