import fs from "node:fs";
import type { Page } from "@playwright/test";
import {
  expect,
  expectNoSeriousA11yViolations,
  formAlert,
  settingsLink,
  signIn,
  signOut,
  signUp,
  tabTo,
  test,
} from "./fixtures";
import {
  acknowledgeBox,
  base32Decode,
  button,
  backupCodesOnPage,
  cantScanToggle,
  codeField,
  decodeQrCode,
  disableTwoFactorControl,
  enableTwoFactor,
  expectedOtpauthUri,
  expectStep,
  freshTotpCode,
  parseOtpauthUri,
  qrCode,
  readBackupCodesDownload,
  readSetupKey,
  SETTINGS_URL,
  stepHeading,
  totpCode,
  twoFactorOnText,
  WIZARD_PATH,
  WRONG_CODE_MESSAGE,
  wrongTotpCode,
} from "./two-factor-helpers";
import { ageSignIn } from "./session-age";
import { backupCodeField, passPasswordStep, submitSecondFactor, switchToBackupCode } from "./sign-in-helpers";

const ISSUER = "Acme";
const BASE32_SECRET = /^[A-Z2-7]{32}$/;
const APPS = ["Google Authenticator", "Microsoft Authenticator", "Authy", "1Password", "Bitwarden"];

function enableLink(page: Page) {
  return page.getByRole("main").getByRole("link", { name: "Enable Two-Factor Authentication", exact: true });
}

function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Signs up, goes through step 1 and reads the secret off the QR code on step 2. */
async function signUpAndScan(page: Page, email: string, password: string): Promise<string> {
  await signUp(page, email, password);
  await page.goto(WIZARD_PATH);
  await expectStep(page, "chooseApp");
  await button(page, "Continue").click();
  await expectStep(page, "scan");
  const uri = parseOtpauthUri(await decodeQrCode(qrCode(page)));
  expect(uri.accountName).toBe(email);
  return uri.secret;
}

/** Signs up and walks to step 3 (enter a code); returns the secret read off the QR code. */
async function signUpToVerifyStep(page: Page, email: string, password: string): Promise<string> {
  const secret = await signUpAndScan(page, email, password);
  await button(page, "Continue").click();
  await expectStep(page, "verify");
  return secret;
}

test("the full walk with a phone: QR code, a wrong code, the right code, backup codes", async ({
  page,
  context,
  credentials,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, credentials.email, credentials.password);

  await settingsLink(page).click();
  await expect(page).toHaveURL("/settings");
  await expect(page.getByText("Two-factor authentication is off", { exact: true })).toBeVisible();
  await enableLink(page).click();
  await expect(page).toHaveURL(WIZARD_PATH);

  // Step 1: the apps, each with store links that open safely in a new tab.
  await expectStep(page, "chooseApp");
  const main = page.getByRole("main");
  for (const app of APPS) await expect(main.getByText(app, { exact: true })).toBeVisible();
  const storeLinks = main.getByRole("link", { name: /^(App Store|Google Play|Download)\b/ });
  expect(await storeLinks.count()).toBeGreaterThanOrEqual(APPS.length * 2);
  for (const link of await storeLinks.all()) {
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", /\bnoopener\b/);
    await expect(link).toHaveAttribute("href", /^https:\/\//);
  }
  await expect(main.getByText(/\bany\b.*\bTOTP\b/i)).toBeVisible();
  await button(page, "Continue").click();

  // Step 2: decode the QR code exactly as a phone camera would.
  await expectStep(page, "scan");
  const uri = await decodeQrCode(qrCode(page));
  const { secret } = parseOtpauthUri(uri);
  expect(secret).toMatch(BASE32_SECRET);
  expect(uri).toBe(expectedOtpauthUri(ISSUER, credentials.email, secret));

  await cantScanToggle(page).click();
  const setupKey = await readSetupKey(page);
  expect(setupKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  expect(setupKey.replace(/ /g, "")).toBe(secret);
  await button(page, "Copy setup key").click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await button(page, "Continue").click();

  // Step 3: a wrong code is refused and the step stays; then the code from the app.
  await expectStep(page, "verify");
  const field = codeField(page);
  await expect(field).toHaveAttribute("inputmode", "numeric");
  await expect(field).toHaveAttribute("autocomplete", "one-time-code");
  await field.fill(wrongTotpCode(secret));
  await button(page, "Verify").click();
  await expect(formAlert(page)).toHaveText(WRONG_CODE_MESSAGE);
  await expectStep(page, "verify");

  const { code } = await freshTotpCode(page, secret);
  await field.fill(code);
  await button(page, "Verify").click();

  // Step 4: the codes on the page, in the downloaded file, and on the clipboard are the same ten.
  await expectStep(page, "backupCodes");
  const returnButton = button(page, "Return to Settings");
  await expect(returnButton).toBeDisabled();
  await expect(button(page, "Print")).toBeVisible();

  const before = Date.now();
  const downloadEvent = page.waitForEvent("download");
  await button(page, "Download").click();
  const file = await readBackupCodesDownload(await downloadEvent);
  const after = Date.now();
  expect(file.filename).toBe("acme-backup-codes.txt");
  expect(file.codes).toHaveLength(10);
  for (const backupCode of file.codes) expect(backupCode).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  expect(new Set(file.codes).size).toBe(10);
  expect(file.text).toContain(credentials.email);
  // The app writes the UTC date (toISOString); either side of midnight is fine.
  expect([utcDay(before), utcDay(after)].some((day) => file.text.includes(day))).toBe(true);
  expect(await backupCodesOnPage(page)).toEqual(file.codes);

  await button(page, "Copy").click();
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  for (const backupCode of file.codes) expect(clipboard).toContain(backupCode);

  await acknowledgeBox(page).check();
  await expect(returnButton).toBeEnabled();
  await returnButton.click();

  await expect(page).toHaveURL(SETTINGS_URL);
  await expect(twoFactorOnText(page)).toBeVisible();
  await expect(disableTwoFactorControl(page)).toBeVisible();
  await expect(enableLink(page)).toHaveCount(0);
});

test("neither the secret nor the backup codes are in the database file", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, backupCodes } = await enableTwoFactor(page, credentials.email, ISSUER);
  expect(backupCodes).toHaveLength(10);

  const databaseUrl = process.env.DATABASE_URL;
  expect(databaseUrl, "DATABASE_URL is set by e2e/run-all.mjs").toBeTruthy();
  const databasePath = (databaseUrl ?? "").replace(/^file:(\/\/)?/, "");
  const files = [databasePath, `${databasePath}-wal`].filter((file) => fs.existsSync(file));
  expect(files).toContain(databasePath);

  const needles: [string, Buffer][] = [
    ["the base32 secret", Buffer.from(secret)],
    ["the base32 secret, lower case", Buffer.from(secret.toLowerCase())],
    ["the raw secret bytes", base32Decode(secret)],
  ];
  expect(needles[2]?.[1]).toHaveLength(20);
  for (const backupCode of backupCodes) {
    needles.push([`backup code ${backupCode}`, Buffer.from(backupCode)]);
    needles.push([`backup code ${backupCode} without its dash`, Buffer.from(backupCode.replace("-", ""))]);
  }

  const contents = files.map((file) => ({ file, bytes: fs.readFileSync(file) }));
  // The search itself works: the account's email is in one of the files (the WAL until a checkpoint).
  expect(contents.some(({ bytes }) => bytes.includes(Buffer.from(credentials.email)))).toBe(true);
  for (const { file, bytes } of contents) {
    const found = needles.filter(([, needle]) => bytes.includes(needle)).map(([name]) => name);
    expect(found, `secrets found in ${file}`).toEqual([]);
  }
});

test("the wizard's step lives on the server: reload and a second tab show step 3", async ({
  page,
  context,
  credentials,
}) => {
  const secret = await signUpToVerifyStep(page, credentials.email, credentials.password);

  await page.reload();
  await expectStep(page, "verify");
  await expect(stepHeading(page, "scan")).toHaveCount(0);

  const secondTab = await context.newPage();
  await secondTab.goto(WIZARD_PATH);
  await expectStep(secondTab, "verify");

  const { code } = await freshTotpCode(page, secret);
  await codeField(page).fill(code);
  await button(page, "Verify").click();
  await expectStep(page, "backupCodes");
  expect(await backupCodesOnPage(page)).toHaveLength(10);

  // The second tab follows on its next load: step 4, never back to step 3.
  await secondTab.reload();
  await expectStep(secondTab, "backupCodes");
  await expect(codeField(secondTab)).toHaveCount(0);
  await secondTab.close();
});

test("the whole wizard with the keyboard alone", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  await page.goto("/settings");
  await tabTo(page, enableLink(page));
  await page.keyboard.press("Enter");

  // Step 1. Each step's heading should take focus when it appears (soft: a miss fails the test, the walk goes on).
  await expectStep(page, "chooseApp");
  await expect.soft(stepHeading(page, "chooseApp")).toBeFocused({ timeout: 1_000 });
  await tabTo(page, button(page, "Continue"));
  await page.keyboard.press("Enter");

  // Step 2: open "Can't scan?" with Space, read the key there (a keyboard user types it in).
  await expectStep(page, "scan");
  await expect.soft(stepHeading(page, "scan")).toBeFocused({ timeout: 1_000 });
  await tabTo(page, cantScanToggle(page));
  await page.keyboard.press("Space");
  const secret = (await readSetupKey(page)).replace(/ /g, "");
  expect(secret).toMatch(BASE32_SECRET);
  await tabTo(page, button(page, "Continue"));
  await page.keyboard.press("Enter");

  // Step 3: type the code; Enter in the field submits.
  await expectStep(page, "verify");
  await expect.soft(stepHeading(page, "verify")).toBeFocused({ timeout: 1_000 });
  await tabTo(page, codeField(page));
  const { code } = await freshTotpCode(page, secret);
  await page.keyboard.type(code);
  await page.keyboard.press("Enter");

  // Step 4: Download with Enter, tick with Space, finish with Enter.
  await expectStep(page, "backupCodes");
  await expect.soft(stepHeading(page, "backupCodes")).toBeFocused({ timeout: 1_000 });
  await tabTo(page, button(page, "Download"));
  const downloadEvent = page.waitForEvent("download");
  await page.keyboard.press("Enter");
  const file = await readBackupCodesDownload(await downloadEvent);
  expect(file.codes).toHaveLength(10);

  await tabTo(page, acknowledgeBox(page));
  await page.keyboard.press("Space");
  await expect(acknowledgeBox(page)).toBeChecked();
  await tabTo(page, button(page, "Return to Settings"));
  // Shift+Tab goes back to the box and Tab forward again, as someone checking their work would.
  await page.keyboard.press("Shift+Tab");
  await expect(acknowledgeBox(page)).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(button(page, "Return to Settings")).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(SETTINGS_URL);
  await expect(twoFactorOnText(page)).toBeVisible();
});

test.describe("on a phone-sized screen", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  type StepCheck = (step: "chooseApp" | "scan" | "verify" | "verifyError" | "backupCodes") => Promise<void>;

  /** Walks the wizard by touch, calling `check` on each step (and on step 3 showing its error). */
  async function walkWizard(page: Page, email: string, password: string, check: StepCheck) {
    await signUp(page, email, password);
    await page.goto(WIZARD_PATH);

    await expectStep(page, "chooseApp");
    await check("chooseApp");
    await button(page, "Continue").click();

    await expectStep(page, "scan");
    const { secret } = parseOtpauthUri(await decodeQrCode(qrCode(page)));
    await cantScanToggle(page).click();
    await expect(button(page, "Copy setup key")).toBeVisible();
    await check("scan");
    await button(page, "Continue").click();

    await expectStep(page, "verify");
    await check("verify");
    await codeField(page).fill(wrongTotpCode(secret));
    await button(page, "Verify").click();
    await expect(formAlert(page)).toHaveText(WRONG_CODE_MESSAGE);
    await check("verifyError");
    const { code } = await freshTotpCode(page, secret);
    await codeField(page).fill(code);
    await button(page, "Verify").click();

    await expectStep(page, "backupCodes");
    await check("backupCodes");
    await acknowledgeBox(page).check();
    await button(page, "Return to Settings").click();
    await expect(page).toHaveURL(SETTINGS_URL);
    await expect(twoFactorOnText(page)).toBeVisible();
  }

  /** The control can be scrolled to and then lies entirely inside the 390 px wide viewport. */
  async function expectReachable(page: Page, name: string) {
    const control = button(page, name);
    await control.scrollIntoViewIfNeeded();
    await expect(control, `${name} fully on screen`).toBeInViewport({ ratio: 1 });
  }

  const BUTTONS = {
    chooseApp: ["Continue"],
    scan: ["Copy setup key", "Continue"],
    verify: ["Verify"],
    verifyError: ["Verify"],
    backupCodes: ["Download", "Copy", "Print", "Return to Settings"],
  };

  test("the QR code fits the screen and every step's buttons can be reached", async ({ page, credentials }) => {
    await walkWizard(page, credentials.email, credentials.password, async (step) => {
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `${step}: the page scrolls sideways`).toBeLessThanOrEqual(390);
      for (const name of BUTTONS[step]) await expectReachable(page, name);
      if (step !== "scan") return;

      const qr = qrCode(page);
      await qr.scrollIntoViewIfNeeded();
      await expect(qr).toBeInViewport({ ratio: 1 });
      const box = await qr.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      expect(box!.width, "big enough to scan").toBeGreaterThanOrEqual(150);
    });
  });

  test("axe finds nothing serious on any step", async ({ page, credentials }) => {
    await walkWizard(page, credentials.email, credentials.password, async () => {
      await expectNoSeriousA11yViolations(page);
    });
  });
});

test("signed out, the wizard redirects to sign-in and comes back after it", async ({ page, credentials }) => {
  await page.goto(WIZARD_PATH);
  const loginUrl = new URL(page.url());
  expect(loginUrl.pathname).toBe("/login");
  expect(loginUrl.searchParams.get("callbackUrl")).toBe(WIZARD_PATH);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Enable Two-Factor Authentication" })).toHaveCount(0);

  // A session that has ended is signed out too, whatever the browser still has.
  await signUp(page, credentials.email, credentials.password);
  await signOut(page);
  await page.goto(WIZARD_PATH);
  await expect(page).toHaveURL(/\/login\?/);

  await signIn(page, credentials.email, credentials.password);
  await expect(page).toHaveURL(WIZARD_PATH);
  await expectStep(page, "chooseApp");
});

test("the oathtool and base32 helpers agree with RFC 6238", async () => {
  // Guards the helpers themselves: RFC 6238's SHA-1 vector at T=59 s, last 6 digits.
  expect(totpCode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59_000)).toBe("287082");
  expect(base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").toString("ascii")).toBe("12345678901234567890");
});

test("the 10-minute window runs out mid-setup: confirm your password, go on, and the codes on screen are the ones saved", async ({
  page,
  context,
  credentials,
}) => {
  const secret = await signUpToVerifyStep(page, credentials.email, credentials.password);

  // Step 3 with a sign-in 11 minutes old: the page asks for the password, then comes back to step 3.
  await ageSignIn(context, 11);
  await codeField(page).fill((await freshTotpCode(page, secret)).code);
  await button(page, "Verify").click();
  const password = page.getByRole("main").getByLabel("Password", { exact: true });
  await expect(page.getByRole("heading", { name: "Confirm your password" })).toBeVisible();
  await password.fill(credentials.password);
  await password.press("Enter");
  await expectStep(page, "verify");
  await codeField(page).fill((await freshTotpCode(page, secret)).code);
  await button(page, "Verify").click();
  await expectStep(page, "backupCodes");
  const shown = await backupCodesOnPage(page);
  expect(shown).toHaveLength(10);

  // Step 4 with the window run out again: confirmed in place, the codes stay on screen and are kept.
  await ageSignIn(context, 11);
  await acknowledgeBox(page).check();
  await button(page, "Return to Settings").click();
  await expect(page.getByRole("form", { name: "Confirm it's you" })).toBeVisible();
  expect(await backupCodesOnPage(page)).toEqual(shown);
  await password.fill(credentials.password);
  await page.getByRole("main").getByRole("button", { name: "Confirm password", exact: true }).click();
  await expect(page).toHaveURL(SETTINGS_URL);
  await expect(twoFactorOnText(page)).toBeVisible();

  await signOut(page);
  await passPasswordStep(page, credentials);
  await switchToBackupCode(page);
  await submitSecondFactor(page, shown[0] ?? "");
  await expect(backupCodeField(page)).toHaveCount(0);
  await expect(page).not.toHaveURL(/\/login/);
});
