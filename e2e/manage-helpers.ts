// Helpers for managing two-factor authentication from Settings once it is on: the Disable and
// Generate new backup codes dialogs, Change authenticator app, and a second browser whose session
// should end when the second factor changes.
import type { Browser, Locator, Page } from "@playwright/test";
import { expect, expectSignedIn, expectSignedOut, signIn, type Credentials } from "./fixtures";
import { backupCodeField, codeField, passPasswordStep, submitSecondFactor, switchToBackupCode } from "./sign-in-helpers";
import { decodeQrCode, parseOtpauthUri, readBackupCodesDownload } from "./two-factor-helpers";

export const DISABLE_DIALOG = "Disable Two-Factor Authentication?";
export const NEW_CODES_DIALOG = "Generate new backup codes";
export const OFF_NOTICE = "Two-factor authentication is off. Signing in now needs only your password.";
export const CHANGED_NOTICE = "Your new authenticator app is set up. Codes from the old app no longer work.";
export const OTHER_SESSIONS_ENDED = "Every other session was signed out. You are still signed in here.";
export const WRONG_BACKUP_CODE_MESSAGE = "That backup code didn't match. Check it and try again.";

export type SecondFactor = { method: "totp" | "backup"; code: string };

export const dialog = (page: Page, title: string) => page.getByRole("dialog", { name: title, exact: true });
export const dialogButton = (scope: Locator, name: string) => scope.getByRole("button", { name, exact: true });
export const disableButton = (page: Page) =>
  page.getByRole("main").getByRole("button", { name: "Disable Two-Factor Authentication", exact: true });
export const newCodesButton = (page: Page) =>
  page.getByRole("main").getByRole("button", { name: "Generate new backup codes", exact: true });
export const twoFactorOn = (page: Page) => page.getByText("Two-factor authentication is on", { exact: true });
export const twoFactorOff = (page: Page) => page.getByText("Two-factor authentication is off", { exact: true });
export const backupCodesLeft = (page: Page, left: number) =>
  page.getByRole("main").getByText(new RegExp(`^${left} of 10 backup codes left\\.`));

/** Types a second factor into whichever field `scope` shows, switching to a backup code first if asked. */
export async function fillSecondFactor(scope: Locator, { method, code }: SecondFactor) {
  if (method === "backup") {
    await dialogButton(scope, "Use a backup code instead").click();
    await expect(scope.getByLabel("Backup code", { exact: true })).toBeFocused();
  }
  const label = method === "backup" ? "Backup code" : "Authentication code";
  await scope.getByLabel(label, { exact: true }).fill(code);
}

/** Settings → Disable → the dialog's code → "Yes, Disable 2FA"; ends on Settings with two-factor off. */
export async function disableTwoFactor(page: Page, factor: SecondFactor) {
  await disableButton(page).click();
  const modal = dialog(page, DISABLE_DIALOG);
  await expect(modal).toBeVisible();
  await fillSecondFactor(modal, factor);
  await dialogButton(modal, "Yes, Disable 2FA").click();
  await expect(page).toHaveURL("/settings?notice=two-factor-off");
  await expect(modal).toBeHidden();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(OFF_NOTICE);
  await expect(twoFactorOff(page)).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Enable Two-Factor Authentication", exact: true })).toBeVisible();
}

/**
 * Settings → Generate new backup codes → a current factor → the new codes. Checks that the list
 * and the downloaded file agree, acknowledges them and closes the dialog; returns the codes.
 */
export async function generateNewBackupCodes(page: Page, factor: SecondFactor): Promise<string[]> {
  await newCodesButton(page).click();
  const modal = dialog(page, NEW_CODES_DIALOG);
  await expect(modal).toBeVisible();
  await fillSecondFactor(modal, factor);
  await dialogButton(modal, "Generate new codes").click();
  const codes = await readNewCodesPanel(page);
  await modal.getByRole("checkbox", { name: "I have downloaded my backup codes" }).check();
  await dialogButton(modal, "Return to Settings").click();
  await expect(modal).toBeHidden();
  await expect(backupCodesLeft(page, 10)).toBeVisible();
  return codes;
}

/** The codes the open "Generate new backup codes" dialog shows, checked against its download. */
export async function readNewCodesPanel(page: Page): Promise<string[]> {
  const modal = dialog(page, NEW_CODES_DIALOG);
  const items = modal.getByRole("list", { name: "Your backup codes" }).getByRole("listitem");
  await expect(items).toHaveCount(10);
  const shown = (await items.allInnerTexts()).map((code) => code.trim());
  const download = page.waitForEvent("download");
  await dialogButton(modal, "Download").click();
  const { codes } = await readBackupCodesDownload(await download);
  expect(codes).toEqual(shown);
  expect(new Set(codes).size).toBe(10);
  return codes;
}

/**
 * Settings → Change authenticator app → Continue (the sign-in is recent, so no code is asked
 * first) → reads the new key under "Can't scan?" and checks the QR code holds the same one.
 * Ends on the verify form; returns the new secret.
 */
export async function startAuthenticatorChange(page: Page, email: string): Promise<string> {
  const main = page.getByRole("main");
  await main.getByRole("link", { name: "Change authenticator app", exact: true }).click();
  await expect(page).toHaveURL("/settings/change-authenticator");
  await expect(page.getByRole("heading", { level: 1, name: "Change authenticator app" })).toBeVisible();
  await main.getByRole("button", { name: "Continue", exact: true }).click();

  const qr = main.getByRole("img", { name: /QR code/ });
  await expect(qr).toBeVisible();
  await main.getByText("Can't scan?", { exact: true }).click();
  const secret = (await main.getByLabel("Setup key", { exact: true }).innerText()).replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const uri = parseOtpauthUri(await decodeQrCode(qr));
  expect(uri.secret).toBe(secret);
  expect(uri.accountName).toBe(email);
  return secret;
}

/** The verify step of Change authenticator app: ends on Settings with the "changed" notice. */
export async function verifyNewAuthenticator(page: Page, code: string) {
  await codeField(page).fill(code);
  await page.getByRole("main").getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page).toHaveURL("/settings?notice=authenticator-changed");
  await expect(page.getByRole("main").getByRole("status")).toHaveText(CHANGED_NOTICE);
  await expect(twoFactorOn(page)).toBeVisible();
}

/**
 * Another browser (its own cookies) signed in to the same account: with the password alone, or,
 * when two-factor is on, with a backup code (it uses up no TOTP step, so no waiting for the clock).
 */
export async function signInElsewhere(browser: Browser, baseURL: string | undefined, credentials: Credentials, backupCode?: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  if (backupCode === undefined) {
    await signIn(page, credentials.email, credentials.password);
  } else {
    await passPasswordStep(page, credentials);
    await switchToBackupCode(page);
    await expect(backupCodeField(page)).toBeVisible();
    await submitSecondFactor(page, backupCode);
    await expect(page).toHaveURL(/\/backup-code-used(?:\?|$)/);
  }
  await page.goto("/settings");
  await expect(page).toHaveURL("/settings");
  await expectSignedIn(page);
  return { context, page };
}

/** The other browser's session has ended: /settings sends it to /login and NextAuth sees no session. */
export async function expectSessionEnded(page: Page) {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login(?:[?#]|$)/);
  await expect(page.getByRole("main").getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expectSignedOut(page);
}

/** The acting browser still has its session and its Settings page. */
export async function expectStillOnSettings(page: Page) {
  await page.goto("/settings");
  await expect(page).toHaveURL("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expectSignedIn(page);
}
