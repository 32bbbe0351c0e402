import {
  expect,
  expectSignedIn,
  expectSignedOut,
  formAlert,
  signIn,
  signOut,
  settingsLink,
  signOutButton,
  signUp,
  submitSignIn,
  submitSignUp,
  tabTo,
  test,
  uniqueEmail,
} from "./fixtures";

test("sign up signs the user in on the home page", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);

  await expect(settingsLink(page)).toBeVisible();
  await expect(signOutButton(page)).toBeVisible();
  await expectSignedIn(page);
});

test("sign out ends the session and protects pages again", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  await signOut(page);

  await expectSignedOut(page);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
});

test("sign in with the right password opens a session", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  await signOut(page);

  await signIn(page, credentials.email, credentials.password);
  await expect(page).toHaveURL("/");
  await expect(settingsLink(page)).toBeVisible();
  await expectSignedIn(page);
});

test("a wrong password is refused without a session", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  await signOut(page);

  await submitSignIn(page, credentials.email, `${credentials.password}!`);
  await expect(formAlert(page)).toHaveText("Incorrect email or password.");
  await expect(page).toHaveURL(/\/login(?:[?#]|$)/);
  await expect(signOutButton(page)).toHaveCount(0);
  await expectSignedOut(page);

  // An unknown address gets the very same answer: the form does not reveal who has an account.
  await submitSignIn(page, uniqueEmail("nobody"), credentials.password);
  await expect(formAlert(page)).toHaveText("Incorrect email or password.");
  await expectSignedOut(page);
});

test("signing up with an address already taken is refused", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  await signOut(page);

  await submitSignUp(page, credentials.email, "another password 123");
  await expect(formAlert(page)).toHaveText("An account with this email already exists.");
  await expect(page).toHaveURL(/\/signup(?:[?#]|$)/);
  await expectSignedOut(page);

  // The original password still works: the second attempt changed nothing.
  await signIn(page, credentials.email, credentials.password);
});

test("a password shorter than 8 characters is refused", async ({ page, credentials }) => {
  await submitSignUp(page, credentials.email, "1234567");
  await expect(formAlert(page)).toHaveText("Password must be at least 8 characters.");
  await expect(page).toHaveURL(/\/signup(?:[?#]|$)/);
  await expectSignedOut(page);
});

test("a confirmation that does not match is refused", async ({ page, credentials }) => {
  await submitSignUp(page, credentials.email, credentials.password, `${credentials.password}x`);
  await expect(formAlert(page)).toHaveText("Passwords do not match.");
  await expect(page).toHaveURL(/\/signup(?:[?#]|$)/);
  await expectSignedOut(page);

  // Nothing was created: the address is still free.
  await signUp(page, credentials.email, credentials.password);
});

test("a signed-out visit to /settings returns there after signing in", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  await signOut(page);

  await page.goto("/settings");
  const loginUrl = new URL(page.url());
  expect(loginUrl.pathname).toBe("/login");
  expect(loginUrl.searchParams.get("callbackUrl")).toBe("/settings");

  await signIn(page, credentials.email, credentials.password);
  await expect(page).toHaveURL("/settings");
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "User Options", level: 2 })).toBeVisible();
  await expect(page.getByText("Two-factor authentication is off")).toBeVisible();
});

test("sign up, sign out and sign in with the keyboard alone", async ({ page, credentials }) => {
  await page.goto("/signup");
  await tabTo(page, page.getByLabel("Email", { exact: true }));
  await page.keyboard.type(credentials.email);
  await tabTo(page, page.getByLabel("Password", { exact: true }));
  await page.keyboard.type(credentials.password);
  await tabTo(page, page.getByLabel("Confirm password", { exact: true }));
  await page.keyboard.type(credentials.password);
  await tabTo(page, page.getByRole("button", { name: "Create account", exact: true }));
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL("/");
  await expect(signOutButton(page)).toBeVisible();

  await tabTo(page, signOutButton(page));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/login(?:[?#]|$)/);

  await tabTo(page, page.getByLabel("Email", { exact: true }));
  await page.keyboard.type(credentials.email);
  await tabTo(page, page.getByLabel("Password", { exact: true }));
  await page.keyboard.type(credentials.password);
  // Enter in a field submits the form, as it does for anyone typing.
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL("/");
  await expect(signOutButton(page)).toBeVisible();
  await expectSignedIn(page);
});
