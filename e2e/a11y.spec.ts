import { expect, expectNoSeriousA11yViolations, formAlert, signUp, submitSignIn, test } from "./fixtures";

test("/signup has no serious accessibility violations", async ({ page }) => {
  await page.goto("/signup");
  await expect(page.getByRole("button", { name: "Create account", exact: true })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("/login has no serious accessibility violations, also while showing an error", async ({ page, credentials }) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await submitSignIn(page, credentials.email, credentials.password);
  await expect(formAlert(page)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("/settings has no serious accessibility violations", async ({ page, credentials }) => {
  await signUp(page, credentials.email, credentials.password);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
