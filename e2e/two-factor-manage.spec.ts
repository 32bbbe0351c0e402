import type { Page } from "@playwright/test";
import {
  expect,
  expectNoSeriousA11yViolations,
  expectSignedIn,
  formAlert,
  signIn,
  signOut,
  signUp,
  tabTo,
  test,
} from "./fixtures";
import {
  CODE_PROMPT,
  codeField,
  codeNewerThan,
  enableTwoFactor,
  passPasswordStep,
  REPLAY_MESSAGE,
  submitSecondFactor,
  submitWrongCode,
  switchToBackupCode,
} from "./sign-in-helpers";
import { TOTP_PERIOD_SECONDS, totpCode, totpStep, WRONG_CODE_MESSAGE, wrongTotpCode } from "./two-factor-helpers";
import {
  backupCodesLeft,
  dialog,
  dialogButton,
  DISABLE_DIALOG,
  disableButton,
  disableTwoFactor,
  expectSessionEnded,
  expectStillOnSettings,
  generateNewBackupCodes,
  NEW_CODES_DIALOG,
  newCodesButton,
  OFF_NOTICE,
  OTHER_SESSIONS_ENDED,
  readNewCodesPanel,
  signInElsewhere,
  startAuthenticatorChange,
  twoFactorOn,
  verifyNewAuthenticator,
  WRONG_BACKUP_CODE_MESSAGE,
} from "./manage-helpers";

/** Signs in with the password alone: no code step, straight to the home page. */
async function signInWithPasswordOnly(page: Page, email: string, password: string) {
  await signIn(page, email, password);
  await expect(page).toHaveURL("/");
  await expect(page.getByText(CODE_PROMPT, { exact: true })).toHaveCount(0);
  await expectSignedIn(page);
}

async function expectHome(page: Page) {
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
  await expectSignedIn(page);
}

test("disabling with a code from the app turns two-factor off: signing in needs only the password", async ({
  page,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep } = await enableTwoFactor(page);

  const { code } = await codeNewerThan(page, secret, usedStep);
  await disableTwoFactor(page, { method: "totp", code });
  await expect(page.getByRole("main").getByRole("heading", { name: "Backup codes" })).toHaveCount(0);

  await signOut(page);
  await signInWithPasswordOnly(page, credentials.email, credentials.password);
});

test("disabling with a backup code turns two-factor off: signing in needs only the password", async ({
  page,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { backupCodes } = await enableTwoFactor(page);
  await expect(backupCodesLeft(page, 10)).toBeVisible();

  await disableTwoFactor(page, { method: "backup", code: backupCodes[0] ?? "" });

  await signOut(page);
  await signInWithPasswordOnly(page, credentials.email, credentials.password);
});

test("a wrong code in the disable dialog is refused and two-factor stays on", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep } = await enableTwoFactor(page);

  await disableButton(page).click();
  const modal = dialog(page, DISABLE_DIALOG);
  await modal.getByLabel("Authentication code", { exact: true }).fill(wrongTotpCode(secret));
  await dialogButton(modal, "Yes, Disable 2FA").click();
  await expect(modal.getByRole("alert")).toHaveText(WRONG_CODE_MESSAGE);
  await expect(modal.getByLabel("Authentication code", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/settings(?:\?notice=two-factor-on)?$/);

  await dialogButton(modal, "Cancel").click();
  await expect(modal).toBeHidden();
  await page.goto("/settings");
  await expect(twoFactorOn(page)).toBeVisible();
  await expect(page.getByText(OFF_NOTICE)).toHaveCount(0);

  // Signing in still asks for the code, and the app's code still works.
  await signOut(page);
  await passPasswordStep(page, credentials);
  const { code } = await codeNewerThan(page, secret, usedStep);
  await submitSecondFactor(page, code);
  await expectHome(page);
});

test("new backup codes replace the old ones: an old code is refused at sign-in, a new one works", async ({
  page,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep, backupCodes: oldCodes } = await enableTwoFactor(page);

  const { code } = await codeNewerThan(page, secret, usedStep);
  const newCodes = await generateNewBackupCodes(page, { method: "totp", code });
  expect(newCodes.filter((c) => oldCodes.includes(c))).toEqual([]);
  // The acting browser keeps its session through the change.
  await expectSignedIn(page);

  // The code that made them is used up, for the disable dialog too (one verifier, one replay rule).
  await disableButton(page).click();
  const modal = dialog(page, DISABLE_DIALOG);
  await modal.getByLabel("Authentication code", { exact: true }).fill(code);
  await dialogButton(modal, "Yes, Disable 2FA").click();
  await expect(modal.getByRole("alert")).toHaveText(REPLAY_MESSAGE);
  await page.keyboard.press("Escape");
  await expect(modal).toBeHidden();
  await expect(twoFactorOn(page)).toBeVisible();

  await signOut(page);
  await passPasswordStep(page, credentials);
  await switchToBackupCode(page);
  await submitWrongCode(page, oldCodes[1] ?? "", WRONG_BACKUP_CODE_MESSAGE);
  await submitSecondFactor(page, newCodes[0] ?? "");
  await expect(page).toHaveURL(/\/backup-code-used(?:\?|$)/);
  await expectSignedIn(page);

  await page.goto("/settings");
  await expect(backupCodesLeft(page, 9)).toBeVisible();
});

test("after changing the authenticator app, a code from the old app fails at sign-in and one from the new app works", async ({
  page,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret: oldSecret } = await enableTwoFactor(page);

  const newSecret = await startAuthenticatorChange(page, credentials.email);
  expect(newSecret).not.toBe(oldSecret);
  // The change records the step of this code as used for the new secret.
  const at = Date.now();
  await verifyNewAuthenticator(page, totpCode(newSecret, at));
  const changedStep = totpStep(at);

  await signOut(page);
  await passPasswordStep(page, credentials);
  const { code, step } = await codeNewerThan(page, newSecret, changedStep);
  // The old app's code for the very step the new app's code is for: not replay-blocked, just wrong.
  await submitWrongCode(page, totpCode(oldSecret, step * TOTP_PERIOD_SECONDS * 1000), WRONG_CODE_MESSAGE);
  await expect(codeField(page)).toBeVisible();
  await submitSecondFactor(page, code);
  await expectHome(page);
});

test("disabling two-factor signs out another browser, but not this one", async ({ page, browser, baseURL, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep, backupCodes } = await enableTwoFactor(page);
  const other = await signInElsewhere(browser, baseURL, credentials, backupCodes[0]);
  try {
    const { code } = await codeNewerThan(page, secret, usedStep);
    await disableTwoFactor(page, { method: "totp", code });

    await expectSessionEnded(other.page);
    await expectStillOnSettings(page);
  } finally {
    await other.context.close();
  }
});

test("Sign out other sessions signs out another browser, but not this one", async ({ page, browser, baseURL, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const other = await signInElsewhere(browser, baseURL, credentials);
  try {
    await page.goto("/settings");
    await page.getByRole("main").getByRole("button", { name: "Sign out other sessions", exact: true }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText(OTHER_SESSIONS_ENDED);

    await expectSessionEnded(other.page);
    await expectStillOnSettings(page);
  } finally {
    await other.context.close();
  }
});

test("new backup codes sign out another browser, but not this one", async ({ page, browser, baseURL, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep, backupCodes } = await enableTwoFactor(page);
  const other = await signInElsewhere(browser, baseURL, credentials, backupCodes[0]);
  try {
    const { code } = await codeNewerThan(page, secret, usedStep);
    await generateNewBackupCodes(page, { method: "totp", code });

    await expectSessionEnded(other.page);
    await expectStillOnSettings(page);
  } finally {
    await other.context.close();
  }
});

test("a new authenticator app signs out another browser, but not this one", async ({ page, browser, baseURL, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const { backupCodes } = await enableTwoFactor(page);
  const other = await signInElsewhere(browser, baseURL, credentials, backupCodes[0]);
  try {
    const newSecret = await startAuthenticatorChange(page, credentials.email);
    await verifyNewAuthenticator(page, totpCode(newSecret));

    await expectSessionEnded(other.page);
    await expectStillOnSettings(page);
  } finally {
    await other.context.close();
  }
});

test("the disable dialog works with the keyboard alone and passes an accessibility scan", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, backupCodes } = await enableTwoFactor(page);
  const modal = dialog(page, DISABLE_DIALOG);
  const field = modal.getByLabel("Authentication code", { exact: true });

  // Enter opens it with the code field focused; Escape closes it and focus goes back to the button.
  await tabTo(page, disableButton(page));
  await page.keyboard.press("Enter");
  await expect(modal).toBeVisible();
  await expect(field).toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press("Escape");
  await expect(modal).toBeHidden();
  await expect(disableButton(page)).toBeFocused();
  await expect(twoFactorOn(page)).toBeVisible();

  // A wrong code submitted with Enter: the error shows in the dialog, which stays open.
  await page.keyboard.press("Enter");
  await expect(field).toBeFocused();
  await page.keyboard.type(wrongTotpCode(secret));
  await page.keyboard.press("Enter");
  await expect(modal.getByRole("alert")).toHaveText(WRONG_CODE_MESSAGE);
  await expectNoSeriousA11yViolations(page);

  // To a backup code by keyboard, then Enter disables two-factor.
  await tabTo(page, dialogButton(modal, "Use a backup code instead"));
  await page.keyboard.press("Enter");
  const backupField = modal.getByLabel("Backup code", { exact: true });
  await expect(backupField).toBeFocused();
  await page.keyboard.type(backupCodes[0] ?? "");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/settings?notice=two-factor-off");
  await expect(modal).toBeHidden();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(OFF_NOTICE);
});

test("the new backup codes dialog works with the keyboard alone and passes an accessibility scan", async ({
  page,
  credentials,
}) => {
  await signUp(page, credentials.email, credentials.password);
  const { secret, usedStep, backupCodes: oldCodes } = await enableTwoFactor(page);
  const modal = dialog(page, NEW_CODES_DIALOG);

  await tabTo(page, newCodesButton(page));
  await page.keyboard.press("Enter");
  await expect(modal).toBeVisible();
  await expect(modal.getByLabel("Authentication code", { exact: true })).toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press("Escape");
  await expect(modal).toBeHidden();
  await expect(newCodesButton(page)).toBeFocused();

  await page.keyboard.press("Enter");
  await expect(modal.getByLabel("Authentication code", { exact: true })).toBeFocused();
  const { code } = await codeNewerThan(page, secret, usedStep);
  await page.keyboard.type(code);
  await page.keyboard.press("Enter");
  const newCodes = await readNewCodesPanel(page);
  expect(newCodes.filter((c) => oldCodes.includes(c))).toEqual([]);
  await expectNoSeriousA11yViolations(page);

  const acknowledge = modal.getByRole("checkbox", { name: "I have downloaded my backup codes" });
  await tabTo(page, acknowledge);
  await page.keyboard.press("Space");
  await expect(acknowledge).toBeChecked();
  await tabTo(page, dialogButton(modal, "Return to Settings"));
  await page.keyboard.press("Enter");
  await expect(modal).toBeHidden();
  await expect(backupCodesLeft(page, 10)).toBeVisible();
  await expect(formAlert(page)).toHaveCount(0);
});
