// Outside clients for honest two-factor tests: zbarimg reads the QR code off the screen as a
// phone camera would, oathtool computes the code an authenticator app would show, and the
// backup codes are read back from the file the browser actually downloaded.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Download, Locator, Page } from "@playwright/test";
import { base32Decode } from "./base32";
import { expect } from "./fixtures";

export { base32Decode };

export const TOTP_PERIOD_SECONDS = 30;

/** One backup code as shown and downloaded: two groups of five lowercase Crockford characters. */
export const BACKUP_CODE_PATTERN = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;

export const WRONG_CODE_MESSAGE = "That code didn't match. Codes change every 30 seconds — use the newest one.";

export type OtpauthUri = {
  issuer: string;
  /** The label's issuer prefix (before the colon), decoded. */
  labelIssuer: string;
  accountName: string;
  secret: string;
  params: URLSearchParams;
};

// ---------------------------------------------------------------------------------------------
// QR code

/** Screenshots `qr` and decodes it with zbarimg; returns the text the QR code holds. */
export async function decodeQrCode(qr: Locator): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "2fa-qr-"));
  const file = path.join(dir, "qr.png");
  try {
    await qr.screenshot({ path: file });
    // --raw: just the payload; -q: no summary line. Exit status 4 means "no symbol found".
    return execFileSync("zbarimg", ["--nodbus", "--raw", "-q", file], { encoding: "utf8" }).trim();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits an otpauth://totp/ URI; throws if it is not one. */
export function parseOtpauthUri(uri: string): OtpauthUri {
  const match = /^otpauth:\/\/totp\/([^?]*)\?(.*)$/.exec(uri);
  if (!match) throw new Error(`Not an otpauth://totp/ URI: ${uri}`);
  const label = decodeURIComponent(match[1] ?? "");
  const colon = label.indexOf(":");
  const params = new URLSearchParams(match[2] ?? "");
  return {
    labelIssuer: colon >= 0 ? label.slice(0, colon) : "",
    accountName: colon >= 0 ? label.slice(colon + 1) : label,
    issuer: params.get("issuer") ?? "",
    secret: params.get("secret") ?? "",
    params,
  };
}

/** The exact URI the wizard must put in its QR code (see the spec's contract). */
export function expectedOtpauthUri(issuer: string, email: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(email)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}

// ---------------------------------------------------------------------------------------------
// TOTP

export function totpStep(atMs = Date.now()): number {
  return Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The code an authenticator app shows for `secret` at `atMs`, from oathtool. The secret goes in
 * on stdin (KEY "-"), not on the command line.
 */
export function totpCode(secret: string, atMs = Date.now()): string {
  const now = `@${Math.floor(atMs / 1000)}`;
  const out = execFileSync("oathtool", ["--totp", "-b", "-N", now, "-"], { input: `${secret}\n`, encoding: "utf8" });
  const code = out.trim();
  if (!/^\d{6}$/.test(code)) throw new Error(`oathtool printed ${JSON.stringify(out)}`);
  return code;
}

/** The codes for steps current-radius .. current+radius (what a lenient server might accept). */
export function nearbyTotpCodes(secret: string, radius: number, atMs = Date.now()): string[] {
  const from = `@${(totpStep(atMs) - radius) * TOTP_PERIOD_SECONDS}`;
  const out = execFileSync("oathtool", ["--totp", "-b", "-N", from, "-w", String(2 * radius), "-"], {
    input: `${secret}\n`,
    encoding: "utf8",
  });
  return out.trim().split(/\s+/);
}

/**
 * A 6-digit code that is not right for any step within five minutes either way, so the app
 * answers "didn't match" (not "expired" or "from the future").
 */
export function wrongTotpCode(secret: string, atMs = Date.now()): string {
  const nearby = new Set(nearbyTotpCodes(secret, 12, atMs));
  let candidate = Number(totpCode(secret, atMs));
  do candidate = (candidate + 137_911) % 1_000_000;
  while (nearby.has(String(candidate).padStart(6, "0")));
  return String(candidate).padStart(6, "0");
}

/**
 * Waits (only if needed) until the current 30 s window has at least `minSecondsLeft` to run and
 * is later than `afterStep` (a step the server has already accepted, so would refuse as a replay).
 * This is the one fixed wait the suite allows: TOTP is tied to the clock.
 */
export async function waitForFreshTotpWindow(page: Page, minSecondsLeft = 3, afterStep = -1): Promise<void> {
  const periodMs = TOTP_PERIOD_SECONDS * 1000;
  const now = Date.now();
  const msLeft = periodMs - (now % periodMs);
  let waitMs = msLeft < minSecondsLeft * 1000 ? msLeft + 50 : 0;
  const stepAfterWait = totpStep(now + waitMs);
  if (stepAfterWait <= afterStep) waitMs += (afterStep + 1 - stepAfterWait) * periodMs - ((now + waitMs) % periodMs) + 50;
  if (waitMs > 0) await page.waitForTimeout(waitMs);
}

/** A code from oathtool with at least `minSecondsLeft` of its window left; returns it and its step. */
export async function freshTotpCode(
  page: Page,
  secret: string,
  { minSecondsLeft = 3, afterStep = -1 }: { minSecondsLeft?: number; afterStep?: number } = {},
): Promise<{ code: string; step: number }> {
  await waitForFreshTotpWindow(page, minSecondsLeft, afterStep);
  const at = Date.now();
  return { code: totpCode(secret, at), step: totpStep(at) };
}

// ---------------------------------------------------------------------------------------------
// Backup codes

export type BackupCodesFile = { filename: string; text: string; codes: string[] };

/** The lines of `text` that are exactly one backup code (surrounding spaces ignored), in order. */
export function backupCodesIn(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => BACKUP_CODE_PATTERN.test(line));
}

/** Reads a downloaded backup-codes file; `codes` are its lines that are exactly one code. */
export async function readBackupCodesDownload(download: Download): Promise<BackupCodesFile> {
  const text = fs.readFileSync(await download.path(), "utf8");
  return { filename: download.suggestedFilename(), text, codes: backupCodesIn(text) };
}

/** The backup codes shown on the page: list items inside main whose whole text is one code. */
export async function backupCodesOnPage(page: Page): Promise<string[]> {
  const items = await page.getByRole("main").getByRole("listitem").allInnerTexts();
  return items.map((item) => item.trim()).filter((item) => BACKUP_CODE_PATTERN.test(item));
}

// ---------------------------------------------------------------------------------------------
// The wizard

export const WIZARD_PATH = "/settings/two-factor";
/** /settings, with or without a query (the wizard adds `?notice=...` when it finishes). */
export const SETTINGS_URL = /\/settings(?:[?#]|$)/;

export const STEP_HEADINGS = {
  chooseApp: "Step 1 of 4: Choose an authenticator app",
  scan: "Step 2 of 4: Scan the QR code",
  verify: "Step 3 of 4: Enter the code from your app",
  backupCodes: "Step 4 of 4: Save your backup codes",
} as const;

export type WizardStep = keyof typeof STEP_HEADINGS;

export function wizardHeading(page: Page): Locator {
  return page.getByRole("heading", { level: 1, name: "Enable Two-Factor Authentication", exact: true });
}

export function stepHeading(page: Page, step: WizardStep): Locator {
  return page.getByRole("heading", { level: 2, name: STEP_HEADINGS[step], exact: true });
}

export async function expectStep(page: Page, step: WizardStep) {
  await expect(wizardHeading(page)).toBeVisible();
  await expect(stepHeading(page, step)).toBeVisible();
}

export function qrCode(page: Page): Locator {
  return page.getByRole("main").getByRole("img", { name: /QR code/ });
}

export function cantScanToggle(page: Page): Locator {
  return page.getByText("Can't scan?", { exact: true });
}

/** The setup key as displayed (groups of four), found next to "Copy setup key". */
export async function readSetupKey(page: Page): Promise<string> {
  const main = page.getByRole("main");
  await expect(main.getByRole("button", { name: "Copy setup key", exact: true })).toBeVisible();
  const grouped = (await main.innerText()).match(/\b[A-Z2-7]{4}(?: [A-Z2-7]{4}){7}\b/);
  if (!grouped) throw new Error("No setup key in groups of four on the page");
  return grouped[0];
}

export function codeField(page: Page): Locator {
  return page.getByLabel("Authentication code", { exact: true });
}

export function button(page: Page, name: string): Locator {
  return page.getByRole("main").getByRole("button", { name, exact: true });
}

export const acknowledgeBox = (page: Page) => page.getByRole("checkbox", { name: "I have downloaded my backup codes" });

export function twoFactorOnText(page: Page): Locator {
  return page.getByText("Two-factor authentication is on", { exact: true });
}

export function disableTwoFactorControl(page: Page): Locator {
  return page
    .getByRole("main")
    .getByRole("button", { name: "Disable Two-Factor Authentication", exact: true })
    .or(page.getByRole("main").getByRole("link", { name: "Disable Two-Factor Authentication", exact: true }));
}

/** Step 2: reads the secret from the QR code (and checks the issuer and account). */
export async function scanQrCode(page: Page, email: string, issuer = "Acme"): Promise<string> {
  await expectStep(page, "scan");
  const uri = parseOtpauthUri(await decodeQrCode(qrCode(page)));
  expect(uri.accountName).toBe(email);
  expect(uri.issuer).toBe(issuer);
  return uri.secret;
}

export type Enrolment = {
  /** The base32 TOTP secret, as read from the QR code. */
  secret: string;
  /** The 10 backup codes, `xxxxx-xxxxx`, as downloaded. */
  backupCodes: string[];
  /** The TOTP step whose code turned two-factor on: the server refuses it (and older) from now on. */
  usedStep: number;
};

/**
 * Turns two-factor on for the signed-in user by clicking through the wizard, the happy path
 * only; returns what a later test needs to sign in. Ends on /settings.
 */
export async function enableTwoFactor(page: Page, email: string, issuer = "Acme"): Promise<Enrolment> {
  await page.goto(WIZARD_PATH);
  await expectStep(page, "chooseApp");
  await button(page, "Continue").click();

  const secret = await scanQrCode(page, email, issuer);
  await button(page, "Continue").click();

  await expectStep(page, "verify");
  const { code, step } = await freshTotpCode(page, secret);
  await codeField(page).fill(code);
  await button(page, "Verify").click();

  await expectStep(page, "backupCodes");
  const downloadEvent = page.waitForEvent("download");
  await button(page, "Download").click();
  const { codes } = await readBackupCodesDownload(await downloadEvent);
  expect(codes).toHaveLength(10);

  await acknowledgeBox(page).check();
  await button(page, "Return to Settings").click();
  await expect(page).toHaveURL(SETTINGS_URL);
  await expect(twoFactorOnText(page)).toBeVisible();
  return { secret, backupCodes: codes, usedStep: step };
}
