// Security keys in a real Chromium with the DevTools protocol's virtual authenticator (CTAP2, user
// verification): add a key in Settings, sign in with password and key, rename and remove it; and
// the answers an attacker could get hold of (a replay, another user's challenge, another origin,
// a cloned key) are refused and count towards the same limits as wrong codes.
import type { Browser, Page } from "@playwright/test";
import { SoftAuthenticator } from "../lib/test-support/soft-authenticator";
import {
  DEFAULT_PASSWORD,
  expect,
  expectNoSeriousA11yViolations,
  expectSignedIn,
  expectSignedOut,
  formAlert,
  signOut,
  signUp,
  submitSignIn,
  test,
  uniqueEmail,
  type Credentials,
} from "./fixtures";
import { dialog, dialogButton, fillSecondFactor } from "./manage-helpers";
import {
  CANCELLED_MESSAGE,
  codeField,
  cookieNames,
  enableTwoFactor,
  LOCKED_MESSAGE,
  passPasswordStep,
  passwordForm,
  postCredentialsCallback,
  SESSION_COOKIE,
  submitSecondFactor,
  submitWrongCode,
  type TwoFactorAccount,
} from "./sign-in-helpers";
import { WRONG_CODE_MESSAGE, wrongTotpCode } from "./two-factor-helpers";
import {
  addKeyForm,
  addSecurityKey,
  clientDataOf,
  expectKeyRefused,
  fetchKeyOptions,
  getAssertionInPage,
  installSoftAuthenticator,
  KEY_ALREADY_REGISTERED,
  KEY_NOT_REGISTERED,
  KEY_NOT_VERIFIED,
  KEY_USED_OR_EXPIRED,
  keyRow,
  keysList,
  noKeysText,
  settingsDate,
  signInWithSecurityKey,
  submitAddKey,
  toBase64Url,
  securityKeyButton,
  pressSecurityKey,
  VirtualAuthenticator,
} from "./webauthn-helpers";

type KeyAccount = TwoFactorAccount & { authenticator: VirtualAuthenticator };

/** Signs up, turns two-factor on, and adds the tab's virtual authenticator as "YubiKey 5". Ends on Settings. */
async function accountWithKey(page: Page, credentials: Credentials, name = "YubiKey 5"): Promise<KeyAccount> {
  await signUp(page, credentials.email, credentials.password);
  const account = await enableTwoFactor(page);
  const authenticator = await VirtualAuthenticator.attach(page);
  await expect(noKeysText(page)).toBeVisible();
  await addSecurityKey(page, name);
  return { ...account, authenticator };
}

async function expectHome(page: Page) {
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
  await expectSignedIn(page);
}

/** A second browser (its own cookies and its own authenticator), with the config's baseURL. */
async function newBrowserPage(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

/** What a script posting the key's answer to NextAuth gets back, and that no session came of it. */
async function postAssertion(page: Page, assertion: unknown): Promise<string | null> {
  const code = typeof assertion === "string" ? assertion : JSON.stringify(assertion);
  const { error } = await postCredentialsCallback(page, { method: "webauthn", code });
  expect(await cookieNames(page.context())).not.toContain(SESSION_COOKIE);
  return error;
}

test("a key added in Settings signs in after the password, and is removed only with a current code", async ({
  page,
  credentials,
}) => {
  const { authenticator, secret, backupCodes } = await accountWithKey(page, credentials);
  const stored = await authenticator.onlyCredential();
  expect(stored.rpId).toBe("localhost");

  await signOut(page);
  await passPasswordStep(page, credentials);
  // The key is offered beside the code field; there is no session until one of them is used.
  await expect(securityKeyButton(page)).toBeVisible();
  await expect(codeField(page)).toBeVisible();
  await expectSignedOut(page);
  await pressSecurityKey(page);
  await expectHome(page);

  await page.goto("/settings");
  await expect(keyRow(page, "YubiKey 5")).toContainText(`Added ${settingsDate()} · last used ${settingsDate()}`);

  // A wrong code in the Remove dialog: refused, and the key stays.
  await keyRow(page, "YubiKey 5").getByRole("button", { name: "Remove YubiKey 5", exact: true }).click();
  let modal = dialog(page, "Remove “YubiKey 5”?");
  await expect(modal).toBeVisible();
  await fillSecondFactor(modal, { method: "totp", code: wrongTotpCode(secret) });
  await dialogButton(modal, "Remove").click();
  await expect(modal.getByRole("alert")).toHaveText(WRONG_CODE_MESSAGE);
  await page.reload();
  await expect(keyRow(page, "YubiKey 5")).toBeVisible();

  // A backup code removes it.
  await keyRow(page, "YubiKey 5").getByRole("button", { name: "Remove YubiKey 5", exact: true }).click();
  modal = dialog(page, "Remove “YubiKey 5”?");
  await fillSecondFactor(modal, { method: "backup", code: backupCodes[0] ?? "" });
  await dialogButton(modal, "Remove").click();
  await expect(modal).toBeHidden();
  await expect(noKeysText(page)).toBeVisible();
  await expect(keysList(page)).toHaveCount(0);
  await page.reload();
  await expect(noKeysText(page)).toBeVisible();
  await expectSignedIn(page);

  // Signing in no longer offers a key; the browser still holds it, but the account does not.
  await signOut(page);
  await passPasswordStep(page, credentials);
  await expect(securityKeyButton(page)).toHaveCount(0);
  const options = await fetchKeyOptions(page);
  const removedKey = { id: toBase64Url(stored.credentialId), type: "public-key" };
  const answer = await getAssertionInPage(page, { ...options, allowCredentials: [removedKey] });
  expect(await postAssertion(page, answer)).toBe(`retry:${KEY_NOT_REGISTERED}`);
  await expectSignedOut(page);
});

test("keys are listed with name, date added and last use, can be renamed, and the same key cannot be added twice", async ({
  page,
  credentials,
}) => {
  const { authenticator } = await accountWithKey(page, credentials);

  // The browser holds that key already (the server lists it in excludeCredentials).
  await submitAddKey(page, "The same key again");
  await expect(addKeyForm(page).getByRole("alert")).toHaveText(KEY_ALREADY_REGISTERED);
  await expect(keysList(page).getByRole("listitem")).toHaveCount(1);
  expect(await authenticator.credentials()).toHaveLength(1);

  // Rename: an empty name is refused, a new one is kept.
  await keyRow(page, "YubiKey 5").getByRole("button", { name: "Rename YubiKey 5", exact: true }).click();
  const modal = dialog(page, "Rename “YubiKey 5”");
  const nameField = modal.getByLabel("Key name", { exact: true });
  await expect(nameField).toHaveValue("YubiKey 5");
  await nameField.fill("   ");
  await dialogButton(modal, "Save name").click();
  await expect(modal.getByRole("alert")).toHaveText("Give the key a name, like “YubiKey 5”.");
  await nameField.fill("Work key");
  await dialogButton(modal, "Save name").click();
  await expect(modal).toBeHidden();
  await expect(keyRow(page, "Work key")).toContainText(`Added ${settingsDate()} · never used`);
  await expect(keyRow(page, "YubiKey 5")).toHaveCount(0);

  // A second, different key: listed after the first, in the order they were added.
  await authenticator.detach();
  await VirtualAuthenticator.attach(page);
  await addSecurityKey(page, "Backup key");
  await page.reload();
  await expect(keysList(page).getByRole("listitem")).toHaveCount(2);
  await expect(keysList(page).getByRole("listitem").first()).toContainText("Work key");
  await expect(keysList(page).getByRole("listitem").last()).toContainText("Backup key");
  await expectNoSeriousA11yViolations(page);

  // Signing in: the code step with a key passes the scan too, and the new key signs in.
  await signOut(page);
  await passPasswordStep(page, credentials);
  await expectNoSeriousA11yViolations(page);
  await pressSecurityKey(page);
  await expectHome(page);
  await page.goto("/settings");
  await expect(keyRow(page, "Backup key")).toContainText(`last used ${settingsDate()}`);
  await expect(keyRow(page, "Work key")).toContainText("never used");
});

test("the server registers a credential once: the same key again, to this account or another, is refused", async ({
  browser,
  baseURL,
  page,
  credentials: alice,
}) => {
  // One software key, used by a client that ignores excludeCredentials, in two browsers.
  const key = new SoftAuthenticator();
  await signUp(page, alice.email, alice.password);
  await enableTwoFactor(page);
  await installSoftAuthenticator(page, key);
  await addSecurityKey(page, "Soft key");
  await submitAddKey(page, "Soft key again");
  await expect(addKeyForm(page).getByRole("alert")).toHaveText(KEY_ALREADY_REGISTERED);
  await page.reload();
  await expect(keysList(page).getByRole("listitem")).toHaveCount(1);

  const bob = { email: uniqueEmail("bob"), password: DEFAULT_PASSWORD };
  const other = await newBrowserPage(browser, baseURL);
  try {
    await signUp(other.page, bob.email, bob.password);
    await enableTwoFactor(other.page);
    await installSoftAuthenticator(other.page, key);
    await submitAddKey(other.page, "Alice's key");
    await expect(addKeyForm(other.page).getByRole("alert")).toHaveText(KEY_ALREADY_REGISTERED);
    await other.page.reload();
    await expect(noKeysText(other.page)).toBeVisible();
  } finally {
    await other.context.close();
  }
  await page.reload();
  await expect(keyRow(page, "Soft key")).toContainText("never used");
});

test("a replayed assertion is refused: the key's answer from an earlier sign-in does not sign in again", async ({
  page,
  baseURL,
  credentials,
}) => {
  await accountWithKey(page, credentials);
  await signOut(page);
  const captured = await signInWithSecurityKey(page, credentials);
  expect(clientDataOf(captured).origin).toBe(new URL(baseURL ?? "").origin);
  await signOut(page);

  // A new sign-in: replayed before and after the page asked for a fresh key challenge.
  await passPasswordStep(page, credentials);
  expect(await postAssertion(page, captured)).toBe(`retry:${KEY_NOT_VERIFIED}`);
  await fetchKeyOptions(page);
  expect(await postAssertion(page, captured)).toBe(`retry:${KEY_NOT_VERIFIED}`);
  await expectSignedOut(page);

  // The sign-in is still open, and the key itself, asked again, finishes it.
  await pressSecurityKey(page);
  await expectHome(page);
});

test("an assertion for another user's challenge is refused, and one user's key cannot finish another's sign-in", async ({
  browser,
  baseURL,
  page,
  credentials: alice,
}) => {
  await accountWithKey(page, alice, "Alice's key");
  const bob = { email: uniqueEmail("bob"), password: DEFAULT_PASSWORD };
  const other = await newBrowserPage(browser, baseURL);
  try {
    await accountWithKey(other.page, bob, "Bob's key");
    await signOut(page);
    await signOut(other.page);
    await passPasswordStep(page, alice);
    await passPasswordStep(other.page, bob);
    const aliceOptions = await fetchKeyOptions(page);
    const bobOptions = await fetchKeyOptions(other.page);
    expect(bobOptions.allowCredentials?.map((c) => c.id)).not.toEqual(aliceOptions.allowCredentials?.map((c) => c.id));

    // Alice's key signs the challenge Bob's browser was given.
    const signed = await getAssertionInPage(page, { ...bobOptions, allowCredentials: aliceOptions.allowCredentials });
    expect(clientDataOf(signed).challenge).toBe(bobOptions.challenge);
    // In Alice's sign-in it is not her challenge; in Bob's (his password, Alice's key) not his key.
    expect(await postAssertion(page, signed)).toBe(`retry:${KEY_USED_OR_EXPIRED}`);
    expect(await postAssertion(other.page, signed)).toBe(`retry:${KEY_NOT_REGISTERED}`);
    await expectSignedOut(page);
    await expectSignedOut(other.page);

    // Neither attempt used up anything: each key still finishes its own user's sign-in.
    await pressSecurityKey(page);
    await expectHome(page);
    await pressSecurityKey(other.page);
    await expectHome(other.page);
  } finally {
    await other.context.close();
  }
});

test("an assertion made on another origin is refused, even one sharing the RP ID (another port of localhost)", async ({
  page,
  baseURL,
  credentials,
}) => {
  await accountWithKey(page, credentials);
  await signOut(page);
  await passPasswordStep(page, credentials);
  const options = await fetchKeyOptions(page);

  // A look-alike page on another port: the browser lets it use RP ID "localhost" (RP IDs ignore ports).
  const appUrl = new URL(baseURL ?? "");
  const phishingOrigin = `http://localhost:${Number(appUrl.port) === 65535 ? 1025 : Number(appUrl.port) + 1}`;
  await page.route(`${phishingOrigin}/**`, (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Acme</title><h1>Sign in to Acme</h1>" }),
  );
  await page.goto(`${phishingOrigin}/login`);
  const phished = await getAssertionInPage(page, options);
  expect(clientDataOf(phished).origin).toBe(phishingOrigin);
  expect(clientDataOf(phished).challenge).toBe(options.challenge);

  expect(await postAssertion(page, phished)).toBe(`retry:${KEY_NOT_VERIFIED}`);
  await expectSignedOut(page);

  // On the real origin the same key signs in.
  await page.goto("/login");
  await passPasswordStep(page, credentials);
  await pressSecurityKey(page);
  await expectHome(page);
});

test("a copy of the key whose signature counter is behind (a cloned key) is refused", async ({ page, credentials }) => {
  const { authenticator } = await accountWithKey(page, credentials);
  const copy = await authenticator.onlyCredential();
  await signOut(page);
  await signInWithSecurityKey(page, credentials);
  await signInOutAgain(page, credentials);
  const original = await authenticator.onlyCredential();
  expect(original.signCount).toBeGreaterThan(copy.signCount);

  // The copy taken at registration: same credential and private key, an older counter.
  await authenticator.removeCredential(copy.credentialId);
  await authenticator.addCredential(copy);
  await passPasswordStep(page, credentials);
  await expectKeyRefused(page, KEY_NOT_VERIFIED);
  await expectSignedOut(page);

  // The original, its counter ahead of every use so far, still signs in.
  await authenticator.removeCredential(copy.credentialId);
  await authenticator.addCredential(original);
  await pressSecurityKey(page);
  await expectHome(page);
});

/** Signs out and in again with the key (one more use of it). Ends signed out. */
async function signInOutAgain(page: Page, credentials: Credentials) {
  await signOut(page);
  await signInWithSecurityKey(page, credentials);
  await signOut(page);
}

test("refused key answers count with wrong codes: the 5th ends the sign-in, the 10th locks the account", async ({
  page,
  credentials,
}) => {
  const { secret } = await accountWithKey(page, credentials);
  await signOut(page);
  const captured = await signInWithSecurityKey(page, credentials);
  await signOut(page);
  const wrong = wrongTotpCode(secret);

  // 1-5 in one sign-in, codes and key answers mixed: the 5th ends it.
  await passPasswordStep(page, credentials);
  await submitWrongCode(page, wrong, WRONG_CODE_MESSAGE);
  expect(await postAssertion(page, captured)).toBe(`retry:${KEY_NOT_VERIFIED}`);
  await submitWrongCode(page, wrong, WRONG_CODE_MESSAGE);
  expect(await postAssertion(page, captured)).toBe(`retry:${KEY_NOT_VERIFIED}`);
  expect(await postAssertion(page, captured)).toBe(`restart:${CANCELLED_MESSAGE}`);
  // The page's sign-in is gone with it: its next code brings the password form back.
  await submitSecondFactor(page, wrong);
  await expect(passwordForm(page)).toBeVisible();
  await expectSignedOut(page);

  // 6-9 in a new sign-in, then the 10th locks the account.
  await passPasswordStep(page, credentials);
  for (let i = 6; i <= 9; i++) expect(await postAssertion(page, captured), `attempt ${i}`).toBe(`retry:${KEY_NOT_VERIFIED}`);
  const tenth = await postAssertion(page, captured);
  expect(tenth).toMatch(/^restart:/);
  expect(tenth?.replace(/^restart:/, "")).toMatch(LOCKED_MESSAGE);

  // Locked: the password step says so, so the key is never even asked.
  await page.goto("/login");
  await submitSignIn(page, credentials.email, credentials.password);
  await expect(formAlert(page)).toHaveText(LOCKED_MESSAGE);
  await expect(securityKeyButton(page)).toHaveCount(0);
  await expectSignedOut(page);
});
