// Issue #7 end to end: every security event shows in Settings → Recent security activity (newest
// first, with a time and the device) right after its action; the notifying ones reach the
// user's address as .eml files in the run's outbox; support's `npm run admin -- reset-2fa` lets a
// locked-out user back in with the password alone; and Change password works as a form.
import Database from "better-sqlite3";
import type { Browser, Page } from "@playwright/test";
import { expect, expectSignedIn, formAlert, signIn, signOut, signUp, submitSignIn, test, type Credentials } from "./fixtures";
import {
  disableTwoFactor,
  expectSessionEnded,
  expectStillOnSettings,
  generateNewBackupCodes,
  dialog,
  dialogButton,
  fillSecondFactor,
  OTHER_SESSIONS_ENDED,
  signInElsewhere,
  startAuthenticatorChange,
  twoFactorOff,
  verifyNewAuthenticator,
} from "./manage-helpers";
import {
  CANCELLED_MESSAGE,
  CODE_PROMPT,
  codeNewerThan,
  enableTwoFactor,
  LOCKED_MESSAGE,
  passPasswordStep,
  passwordForm,
  submitSecondFactor,
  submitWrongCode,
  switchToBackupCode,
} from "./sign-in-helpers";
import { totpCode, WRONG_CODE_MESSAGE, wrongTotpCode } from "./two-factor-helpers";
import { addSecurityKey, keyRow, noKeysText, signInWithSecurityKey, VirtualAuthenticator } from "./webauthn-helpers";
import {
  deviceOf,
  expectActivity,
  expectEmail,
  expectEmails,
  expectTimesAndDevice,
  readOutbox,
  runAdmin,
  SUBJECTS,
  type Email,
} from "./activity-helpers";

const PASSWORD_SIGN_IN = "Signed in (password only)";
const WRONG_CODE = "Wrong two-factor code entered";
const TWO_FACTOR_ON = "Two-factor authentication turned on";
const LOCKED_ENTRY = /^Two-factor sign-in locked until (\d{2}:\d{2} UTC) after too many attempts$/;
/** What a stranger's laptop sends: the activity should say it was not the owner's browser. */
const FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

async function expectHome(page: Page) {
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
  await expectSignedIn(page);
}

/** Password, then whichever second factor; ends signed in (home, or the backup-code notice). */
async function signInWithCode(page: Page, credentials: Credentials, method: "totp" | "backup", code: string) {
  await passPasswordStep(page, credentials);
  if (method === "backup") await switchToBackupCode(page);
  await submitSecondFactor(page, code);
  await expect(page).toHaveURL(method === "backup" ? /\/backup-code-used(?:\?|$)/ : "/");
  await expectSignedIn(page);
}

/** "You have 9 backup codes left." → "9", for each email, sorted. */
function codesLeftIn(emails: Email[]): string[] {
  return emails.map((mail) => /You have (\d+) backup codes? left\./.exec(mail.body)?.[1] ?? "none").sort();
}

async function newBrowserPage(browser: Browser, baseURL: string | undefined, userAgent?: string) {
  const context = await browser.newContext({ baseURL, ...(userAgent ? { userAgent } : {}) });
  return { context, page: await context.newPage() };
}

test("sign-ins and two-factor changes each show in the activity right after, newest first; the notifying ones are emailed", async ({
  page,
  credentials,
}) => {
  const started = Date.now();
  const { email } = credentials;
  const device = await deviceOf(page);
  const shown: string[] = [];
  /** The new rows, oldest first, as they happened; the list should now show them on top. */
  const after = async (...labels: string[]) => {
    shown.unshift(...labels.reverse());
    return expectActivity(page, shown);
  };

  await signUp(page, email, credentials.password);
  await after(PASSWORD_SIGN_IN);

  const { secret, usedStep, backupCodes } = await enableTwoFactor(page);
  await after(TWO_FACTOR_ON);
  const on = await expectEmail(email, SUBJECTS.twoFactorOn);
  expect(on.from).toBe("Acme <no-reply@localhost>");

  await signOut(page);
  await passPasswordStep(page, credentials);
  await submitWrongCode(page, wrongTotpCode(secret), WRONG_CODE_MESSAGE);
  const { code } = await codeNewerThan(page, secret, usedStep);
  await submitSecondFactor(page, code);
  await expectHome(page);
  await after(WRONG_CODE, "Signed in (authenticator code)");

  await signOut(page);
  await signInWithCode(page, credentials, "backup", backupCodes[0] ?? "");
  await after("Backup code used (9 left)", "Signed in (backup code)");
  expect((await expectEmail(email, SUBJECTS.backupCodeUsed)).body).toContain("You have 9 backup codes left.");

  // Confirming with a backup code uses it up too, and says so before the change it confirmed.
  await page.goto("/settings");
  const newCodes = await generateNewBackupCodes(page, { method: "backup", code: backupCodes[1] ?? "" });
  await after("Backup code used (8 left)", "New backup codes created");
  await expectEmail(email, SUBJECTS.newBackupCodes);
  expect(codesLeftIn(await expectEmails(email, SUBJECTS.backupCodeUsed, 2))).toEqual(["8", "9"]);

  const newSecret = await startAuthenticatorChange(page, email);
  await verifyNewAuthenticator(page, totpCode(newSecret));
  await after("Authenticator app changed");
  await expectEmail(email, SUBJECTS.authenticatorChanged);

  await disableTwoFactor(page, { method: "backup", code: newCodes[0] ?? "" });
  const entries = await after("Backup code used (9 left)", "Two-factor authentication turned off");
  await expectEmail(email, SUBJECTS.twoFactorOff);

  // Every row: when (UTC, the time the server recorded) and from which browser.
  expectTimesAndDevice(entries, device, started);
  const times = entries.map((entry) => entry.at);
  expect(times, "newest first").toEqual([...times].sort((a, b) => b - a));

  // Sign-ins and a wrong code send nothing; nothing sent holds a code or a secret.
  const sent = readOutbox(email);
  expect(sent.map((mail) => mail.subject).sort()).toEqual(
    [
      SUBJECTS.twoFactorOn,
      SUBJECTS.backupCodeUsed,
      SUBJECTS.backupCodeUsed,
      SUBJECTS.newBackupCodes,
      SUBJECTS.authenticatorChanged,
      SUBJECTS.backupCodeUsed,
      SUBJECTS.twoFactorOff,
    ].sort(),
  );
  expect(codesLeftIn(sent.filter((mail) => mail.subject === SUBJECTS.backupCodeUsed))).toEqual(["8", "9", "9"]);
  for (const mail of sent) {
    for (const secretText of [secret, newSecret, ...backupCodes, ...newCodes]) expect(mail.body).not.toContain(secretText);
  }
});

test("security keys, signing out other sessions and a lock show in the activity; keys and the lock are emailed", async ({
  page,
  browser,
  baseURL,
  credentials,
}) => {
  const started = Date.now();
  const { email } = credentials;
  const device = await deviceOf(page);
  await signUp(page, email, credentials.password);
  const { secret, usedStep } = await enableTwoFactor(page);

  await VirtualAuthenticator.attach(page);
  await expect(noKeysText(page)).toBeVisible();
  await addSecurityKey(page, "YubiKey 5");
  await expectActivity(page, ["Security key added: YubiKey 5", TWO_FACTOR_ON, PASSWORD_SIGN_IN]);
  expect((await expectEmail(email, SUBJECTS.keyAdded)).body).toContain("A security key named “YubiKey 5” was added to your account.");

  await signOut(page);
  await signInWithSecurityKey(page, credentials);
  await page.goto("/settings");
  await keyRow(page, "YubiKey 5").getByRole("button", { name: "Remove YubiKey 5", exact: true }).click();
  const modal = dialog(page, "Remove “YubiKey 5”?");
  const { code } = await codeNewerThan(page, secret, usedStep);
  await fillSecondFactor(modal, { method: "totp", code });
  await dialogButton(modal, "Remove").click();
  await expect(modal).toBeHidden();
  await expect(noKeysText(page)).toBeVisible();
  await expectActivity(page, [
    "Security key removed: YubiKey 5",
    "Signed in (security key)",
    "Security key added: YubiKey 5",
    TWO_FACTOR_ON,
    PASSWORD_SIGN_IN,
  ]);
  expect((await expectEmail(email, SUBJECTS.keyRemoved)).body).toContain("A security key named “YubiKey 5” was removed from your account.");

  await page.getByRole("main").getByRole("button", { name: "Sign out other sessions", exact: true }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(OTHER_SESSIONS_ENDED);
  const mine = await expectActivity(page, [
    "Other sessions signed out",
    "Security key removed: YubiKey 5",
    "Signed in (security key)",
    "Security key added: YubiKey 5",
    TWO_FACTOR_ON,
    PASSWORD_SIGN_IN,
  ]);
  expectTimesAndDevice(mine, device, started);

  // Someone else with the password, on another computer: 5 wrong codes end their sign-in, 5 more lock.
  const stranger = await newBrowserPage(browser, baseURL, FIREFOX_ON_LINUX);
  let lockedUntil: string | undefined;
  try {
    const wrong = wrongTotpCode(secret);
    await passPasswordStep(stranger.page, credentials);
    for (let i = 1; i <= 4; i++) await submitWrongCode(stranger.page, wrong, WRONG_CODE_MESSAGE);
    await submitSecondFactor(stranger.page, wrong);
    await expect(formAlert(stranger.page)).toHaveText(CANCELLED_MESSAGE);
    await passPasswordStep(stranger.page, credentials);
    for (let i = 6; i <= 9; i++) await submitWrongCode(stranger.page, wrong, WRONG_CODE_MESSAGE);
    await submitSecondFactor(stranger.page, wrong);
    await expect(passwordForm(stranger.page)).toBeVisible();
    await expect(formAlert(stranger.page)).toHaveText(LOCKED_MESSAGE);
    lockedUntil = (await formAlert(stranger.page).innerText()).match(/\d{2}:\d{2} UTC/)?.[0];
  } finally {
    await stranger.context.close();
  }
  expect(lockedUntil).toBeDefined();

  // The owner's session is untouched by the lock: they see it, and from where it came.
  const entries = await expectActivity(page, [
    `Two-factor sign-in locked until ${lockedUntil} after too many attempts`,
    ...Array<string>(10).fill(WRONG_CODE),
    ...mine.map((entry) => entry.label),
  ]);
  expect(entries[0]?.label).toMatch(LOCKED_ENTRY);
  expectTimesAndDevice(entries.slice(0, 11), "Firefox on Linux", started);
  const locked = await expectEmail(email, SUBJECTS.locked);
  expect(locked.body).toContain(`two-factor sign-in is locked until ${lockedUntil}`);

  expect(readOutbox(email).map((mail) => mail.subject).sort()).toEqual(
    [SUBJECTS.twoFactorOn, SUBJECTS.keyAdded, SUBJECTS.keyRemoved, SUBJECTS.locked].sort(),
  );
});

test("support's reset-2fa lets the user in with the password alone, signs out their browser, and tells them", async ({
  page,
  credentials,
}) => {
  const { email } = credentials;
  await signUp(page, email, credentials.password);
  await enableTwoFactor(page);

  // What support sees first.
  const shown = await runAdmin("user", email);
  expect(shown.code, shown.stderr).toBe(0);
  expect(shown.stdout).toMatch(/Two-factor:\s+on since/);
  expect(shown.stdout).toMatch(/Backup codes:\s+10 of 10 left/);
  expect(shown.stdout).toContain(TWO_FACTOR_ON);

  const reset = await runAdmin("reset-2fa", email, "--yes");
  expect(reset.code, reset.stderr).toBe(0);
  expect(reset.stdout).toContain(`Done. ${email} can now sign in with their password alone`);

  // The browser that was signed in is signed out.
  await expectSessionEnded(page);

  await signIn(page, email, credentials.password);
  await expectHome(page);
  await expect(page.getByText(CODE_PROMPT, { exact: true })).toHaveCount(0);

  const entries = await expectActivity(page, [
    PASSWORD_SIGN_IN,
    "Two-factor authentication reset by support",
    TWO_FACTOR_ON,
    PASSWORD_SIGN_IN,
  ]);
  expect(entries[1]?.where).toContain("admin-cli");
  await expect(twoFactorOff(page)).toBeVisible();

  const mail = await expectEmail(email, SUBJECTS.twoFactorReset);
  expect(mail.body).toContain("our support team turned off two-factor authentication for your account");
});

test("the admin command refuses an unknown email with a clear message and exit code 1", async () => {
  const before = readOutbox().length;
  const result = await runAdmin("reset-2fa", "nobody@example.com", "--yes");
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('No account uses the email address "nobody@example.com". Check the spelling; nothing was changed.');
  expect(result.stdout).not.toContain("Done.");
  expect(readOutbox().length).toBe(before);
});

test("Change password: a wrong current password is refused; a change signs out another browser and only the new password works", async ({
  page,
  browser,
  baseURL,
  credentials,
}) => {
  const { email, password } = credentials;
  const newPassword = `${password} again`;
  await signUp(page, email, password);
  const other = await signInElsewhere(browser, baseURL, credentials);
  try {
    await page.goto("/settings");
    const form = page.getByRole("main").getByRole("form", { name: "Change password" });
    const fill = async (current: string, next: string, confirm = next) => {
      await form.getByLabel("Current password", { exact: true }).fill(current);
      await form.getByLabel("New password", { exact: true }).fill(next);
      await form.getByLabel("Confirm new password", { exact: true }).fill(confirm);
      await form.getByRole("button", { name: "Change password", exact: true }).click();
    };

    await fill(`${password}!`, newPassword);
    await expect(form.getByRole("alert")).toHaveText("Your current password is not right.");
    await expect(form.getByLabel("Current password", { exact: true })).toHaveAttribute("aria-invalid", "true");

    await fill(password, newPassword, `${newPassword}!`);
    await expect(form.getByRole("alert")).toHaveText("Passwords do not match.");
    await expect(form.getByLabel("Confirm new password", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expectActivity(page, [PASSWORD_SIGN_IN, PASSWORD_SIGN_IN]);
    await expectSignedIn(other.page);

    await fill(password, newPassword);
    await expect(form.getByRole("status")).toHaveText("Your password was changed. Other sessions were signed out.");
    await expect(form.getByLabel("Current password", { exact: true })).toHaveValue("");

    await expectSessionEnded(other.page);
    await expectStillOnSettings(page);
    await expectActivity(page, ["Password changed", PASSWORD_SIGN_IN, PASSWORD_SIGN_IN]);
    await expectEmail(email, SUBJECTS.passwordChanged);
  } finally {
    await other.context.close();
  }

  await signOut(page);
  await submitSignIn(page, email, password);
  await expect(formAlert(page)).toHaveText("Incorrect email or password.");
  await signIn(page, email, newPassword);
  await expectHome(page);
  await expectActivity(page, [PASSWORD_SIGN_IN, "Password changed", PASSWORD_SIGN_IN, PASSWORD_SIGN_IN]);
});

test("older activity is a click away: Show older activity, then Back to the newest", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const total = 60 + (await activityEntries(page)).length;
  // Sixty older sign-ins, written straight into the server's database (a year of use, in a second).
  const databasePath = (process.env.DATABASE_URL ?? "").replace(/^file:(\/\/)?/, "");
  expect(databasePath, "DATABASE_URL is set by e2e/run-all.mjs").not.toBe("");
  const database = new Database(databasePath);
  try {
    const { id } = database.prepare("SELECT id FROM users WHERE email = ?").get(credentials.email) as { id: number };
    const insert = database.prepare("INSERT INTO security_events (user_id, kind, detail, created_at) VALUES (?, 'sign-in', '{\"method\":\"password\"}', ?)");
    for (let day = 1; day <= 60; day++) insert.run(id, Date.now() - day * 86_400_000);
  } finally {
    database.close();
  }

  await page.goto("/settings");
  const list = page.getByRole("list", { name: "Recent security activity" });
  await expect(list.getByRole("listitem")).toHaveCount(50);
  await expect(page.getByRole("link", { name: "Back to the newest" })).toHaveCount(0);
  const newestFirstPage = await list.getByRole("listitem").allInnerTexts();

  await page.getByRole("link", { name: "Show older activity" }).click();
  await expect(page).toHaveURL(/activityBefore=/);
  await expect(list.getByRole("listitem")).toHaveCount(total - 50);
  await expect(page.getByRole("link", { name: "Show older activity" })).toHaveCount(0);
  expect(await list.getByRole("listitem").allInnerTexts()).not.toContain(newestFirstPage[0]);

  await page.getByRole("link", { name: "Back to the newest" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(50);
  expect(await list.getByRole("listitem").allInnerTexts()).toEqual(newestFirstPage);
});

/** The entries Settings shows now (the first page). */
async function activityEntries(page: Page): Promise<string[]> {
  await page.goto("/settings");
  return page.getByRole("list", { name: "Recent security activity" }).getByRole("listitem").allInnerTexts();
}
