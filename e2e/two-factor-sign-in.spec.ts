import type { Browser, Page } from "@playwright/test";
import {
  currentSession,
  expect,
  expectNoSeriousA11yViolations,
  expectSignedIn,
  expectSignedOut,
  formAlert,
  signOut,
  signUp,
  submitSignIn,
  tabTo,
  test,
} from "./fixtures";
import {
  backupCodeField,
  CANCELLED_MESSAGE,
  CHALLENGE_COOKIE,
  codeField,
  codeNewerThan,
  cookieNames,
  enableTwoFactor,
  LOCKED_MESSAGE,
  passPasswordStep,
  passwordForm,
  postCredentialsCallback,
  REPLAY_MESSAGE,
  SESSION_COOKIE,
  signInButton,
  submitSecondFactor,
  submitWrongCode,
  switchToBackupCode,
  appCodeSwitch,
  backupCodeSwitch,
  USED_BACKUP_CODE_MESSAGE,
  WRONG_PASSWORD_MESSAGE,
  utcClock,
  verifyButton,
} from "./sign-in-helpers";
import { WRONG_CODE_MESSAGE, wrongTotpCode } from "./two-factor-helpers";

const LOCK_MS = 15 * 60 * 1000;

async function expectHome(page: Page) {
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
  await expectSignedIn(page);
}

async function expectBackupCodeUsed(page: Page, left: number) {
  await expect(page).toHaveURL(/\/backup-code-used(?:\?|$)/);
  const main = page.getByRole("main");
  await expect(main.getByRole("heading", { name: "You signed in with a backup code" })).toBeVisible();
  await expect(main.getByText(`You have ${left} backup codes left.`)).toBeVisible();
  await expectSignedIn(page);
}

/** A second browser with no cookies of its own (the config's baseURL is passed on explicitly). */
async function newBrowserPage(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

test("a code from the app signs in once; the same code again is refused as a replay", async ({
  page,
  context,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep } = await enableTwoFactor(page);
  await signOut(page);

  await passPasswordStep(page, credentials);
  await expectSignedOut(page);
  await submitWrongCode(page, wrongTotpCode(secret), WRONG_CODE_MESSAGE);
  const { code } = await codeNewerThan(page, secret, usedStep);
  await submitSecondFactor(page, code);
  await expectHome(page);

  await signOut(page);
  await passPasswordStep(page, credentials);
  await submitWrongCode(page, code, REPLAY_MESSAGE);
  // Still on the code step (a replay does not end the challenge), and still no session.
  await expect(codeField(page)).toBeVisible();
  await expectSignedOut(page);
  expect(await cookieNames(context)).not.toContain(SESSION_COOKIE);
});

test("between the password and the code there is no session, and NextAuth cannot be talked into one", async ({
  page,
  context,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep } = await enableTwoFactor(page);
  await signOut(page);

  await passPasswordStep(page, credentials);
  expect(await currentSession(page)).toEqual({});
  const cookies = await context.cookies();
  expect(cookies.map((cookie) => cookie.name)).not.toContain(SESSION_COOKIE);
  expect(cookies.find((cookie) => cookie.name === CHALLENGE_COOKIE)?.httpOnly).toBe(true);

  // A signed-in page in another tab of the same browser still sends it to the login page.
  const tab = await context.newPage();
  await tab.goto("/settings");
  await expect(tab).toHaveURL(/\/login\?callbackUrl=%2Fsettings$/);
  await expect(signInButton(tab)).toBeVisible();
  await tab.close();

  // A script posting to NextAuth with the challenge cookie. Each answer names the refusal, which
  // also shows the challenge was seen (without it the answer would be "sign-in expired").
  const crafted: { fields: Record<string, string>; refusal: string }[] = [
    { fields: {}, refusal: "Enter the code from your authenticator app." },
    { fields: { code: wrongTotpCode(secret) }, refusal: WRONG_CODE_MESSAGE },
    { fields: { email: credentials.email, password: credentials.password }, refusal: "Enter the code from your authenticator app." },
    { fields: { method: "password" }, refusal: "That code is not valid." },
  ];
  for (const { fields, refusal } of crafted) {
    const answer = await postCredentialsCallback(page, fields);
    expect(answer.error, JSON.stringify(fields)).toBe(`retry:${refusal}`);
    expect(await currentSession(page), JSON.stringify(fields)).toEqual({});
    expect(await cookieNames(context)).not.toContain(SESSION_COOKIE);
  }

  // The challenge is still open: the right code in the page finishes the sign-in.
  const { code } = await codeNewerThan(page, secret, usedStep);
  await submitSecondFactor(page, code);
  await expectHome(page);
  expect(await cookieNames(context)).not.toContain(CHALLENGE_COOKIE);
});

test("a backup code signs in once, and codes typed in upper case with spaces work", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const { backupCodes } = await enableTwoFactor(page);
  const [first, second] = backupCodes;
  if (!first || !second) throw new Error("expected 10 backup codes");
  await signOut(page);

  await passPasswordStep(page, credentials);
  await switchToBackupCode(page);
  await submitSecondFactor(page, first);
  await expectBackupCodeUsed(page, 9);
  // Nine left is not "running low".
  await expect(page.getByRole("main").getByText(/running low/)).toHaveCount(0);
  await page.getByRole("main").getByRole("link", { name: "Continue", exact: true }).click();
  await expectHome(page);

  await signOut(page);
  await passPasswordStep(page, credentials);
  await switchToBackupCode(page);
  await submitWrongCode(page, first, USED_BACKUP_CODE_MESSAGE);
  await expect(backupCodeField(page)).toBeVisible();
  await expectSignedOut(page);

  // "abcde-12345" typed as "ABCDE 12345".
  await submitSecondFactor(page, second.toUpperCase().replace("-", " "));
  await expectBackupCodeUsed(page, 8);
});

test("the same backup code sent from two browsers at once signs in only one of them", async ({
  browser,
  baseURL,
  page,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { backupCodes } = await enableTwoFactor(page);
  const code = backupCodes[0] ?? "";
  await signOut(page);

  const browsers = [await newBrowserPage(browser, baseURL), await newBrowserPage(browser, baseURL)];
  try {
    const pages = browsers.map((b) => b.page);
    for (const p of pages) {
      await passPasswordStep(p, credentials);
      await switchToBackupCode(p);
      await backupCodeField(p).fill(code);
    }
    const answers = pages.map((p) => p.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")));
    await Promise.all(pages.map((p) => verifyButton(p).click()));
    await Promise.all(answers);

    const sessions = await Promise.all(pages.map((p) => currentSession(p)));
    const winners = sessions.flatMap((session, index) => (session.user ? [index] : []));
    expect(winners, JSON.stringify(sessions)).toHaveLength(1);
    const winner = pages[winners[0] ?? 0] as Page;
    const loser = pages[1 - (winners[0] ?? 0)] as Page;
    expect(await currentSession(loser)).toEqual({});
    await expect(formAlert(loser)).toHaveText(USED_BACKUP_CODE_MESSAGE);
    await expectBackupCodeUsed(winner, 9);
  } finally {
    await Promise.all(browsers.map((b) => b.context.close()));
  }
});

test("wrong codes cancel the sign-in after 5 and lock the account after 10, even against the right code", async ({
  browser,
  baseURL,
  page,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep } = await enableTwoFactor(page);
  await signOut(page);
  const wrong = wrongTotpCode(secret);

  // Wrong codes 1-5: the fifth cancels this sign-in and the password form comes back.
  await passPasswordStep(page, credentials);
  for (let i = 1; i <= 4; i++) await submitWrongCode(page, wrong, WRONG_CODE_MESSAGE);
  await submitSecondFactor(page, wrong);
  await expect(passwordForm(page)).toBeVisible();
  await expect(formAlert(page)).toHaveText(CANCELLED_MESSAGE);
  await expect(codeField(page)).toHaveCount(0);
  await expectSignedOut(page);

  // Wrong codes 6-9 in a new sign-in.
  await passPasswordStep(page, credentials);
  for (let i = 6; i <= 9; i++) await submitWrongCode(page, wrong, WRONG_CODE_MESSAGE);

  // Another browser passes the password step before the lock...
  const other = await newBrowserPage(browser, baseURL);
  try {
    await passPasswordStep(other.page, credentials);

    // ...then the 10th wrong code locks the account.
    const before = Date.now();
    await submitSecondFactor(page, wrong);
    const after = Date.now();
    await expect(passwordForm(page)).toBeVisible();
    await expect(formAlert(page)).toHaveText(LOCKED_MESSAGE);
    const shown = (await formAlert(page).innerText()).match(/\d{2}:\d{2} UTC/)?.[0];
    expect([utcClock(before + LOCK_MS), utcClock(after + LOCK_MS)]).toContain(shown);

    // The right code from the browser that was already past the password is refused too.
    const { code } = await codeNewerThan(other.page, secret, usedStep);
    await submitSecondFactor(other.page, code);
    await expect(formAlert(other.page)).toHaveText(LOCKED_MESSAGE);
    await expectSignedOut(other.page);
  } finally {
    await other.context.close();
  }

  // While locked, the right password is told so; a wrong one hears what an unknown email hears,
  // so the lock does not confirm to a guesser that the account exists.
  for (const [password, message] of [
    [credentials.password, LOCKED_MESSAGE],
    [`${credentials.password}!`, WRONG_PASSWORD_MESSAGE],
  ] as const) {
    await page.goto("/login");
    await submitSignIn(page, credentials.email, password);
    await expect(formAlert(page)).toHaveText(message);
    await expect(codeField(page)).toHaveCount(0);
    await expectSignedOut(page);
  }
});

test("the code step works with the keyboard alone and passes an accessibility scan", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep, backupCodes } = await enableTwoFactor(page);
  await signOut(page);

  await passPasswordStep(page, credentials);
  const field = codeField(page);
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute("inputmode", "numeric");
  await expect(field).toHaveAttribute("autocomplete", "one-time-code");
  await expectNoSeriousA11yViolations(page);

  // To the backup code and back, by keyboard.
  await tabTo(page, backupCodeSwitch(page));
  await page.keyboard.press("Enter");
  await expect(backupCodeField(page)).toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await tabTo(page, appCodeSwitch(page));
  await page.keyboard.press("Space");
  await expect(codeField(page)).toBeFocused();

  const { code } = await codeNewerThan(page, secret, usedStep);
  await page.keyboard.type(code);
  await page.keyboard.press("Enter");
  await expectHome(page);

  // A backup code, by keyboard.
  await signOut(page);
  await passPasswordStep(page, credentials);
  await tabTo(page, backupCodeSwitch(page));
  await page.keyboard.press("Enter");
  await expect(backupCodeField(page)).toBeFocused();
  await page.keyboard.type(backupCodes[0] ?? "");
  await page.keyboard.press("Enter");
  await expectBackupCodeUsed(page, 9);
});
