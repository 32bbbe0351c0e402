import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Locator, type Page } from "@playwright/test";

export { expect };

export type Credentials = { email: string; password: string };

export const DEFAULT_PASSWORD = "correct horse battery";

let counter = 0;

/** An address no other test (or earlier run against the same database) has used. */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  const stamp = `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
  return `${prefix}-${stamp}@example.com`;
}

export const test = base.extend<{ credentials: Credentials }>({
  // Fresh, not yet registered credentials for each test.
  // `provide`, not Playwright's usual `use`: the React hooks lint rule mistakes `use` for a hook.
  credentials: async ({}, provide, testInfo) => {
    const prefix = testInfo.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 24) || "user";
    await provide({ email: uniqueEmail(prefix), password: DEFAULT_PASSWORD });
  },
});

/** The form's own error message; Next also renders a hidden route announcer with role=alert. */
export function formAlert(page: Page): Locator {
  return page.getByRole("main").getByRole("alert");
}

export function signOutButton(page: Page): Locator {
  return page.getByRole("banner").getByRole("button", { name: "Sign out", exact: true });
}

/** The header's Settings link (pages may link to Settings from their content too). */
export function settingsLink(page: Page): Locator {
  return page.getByRole("banner").getByRole("link", { name: "Settings", exact: true });
}

/** Fills and submits /signup without asserting the outcome (for error cases). */
export async function submitSignUp(page: Page, email: string, password: string, confirm = password) {
  await page.goto("/signup");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password", { exact: true }).fill(confirm);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
}

/** Creates an account and waits until the user is signed in on the home page. */
export async function signUp(page: Page, email: string, password: string) {
  await submitSignUp(page, email, password);
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
  await expect(signOutButton(page)).toBeVisible();
}

/**
 * Fills and submits the login form without asserting the outcome. Stays on the current
 * /login URL when already there, so a callbackUrl survives.
 */
export async function submitSignIn(page: Page, email: string, password: string) {
  if (new URL(page.url(), "http://x").pathname !== "/login") await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in and waits until the signed-in header shows (wherever the app sends the user). */
export async function signIn(page: Page, email: string, password: string) {
  await submitSignIn(page, email, password);
  await expect(signOutButton(page)).toBeVisible();
  await expect(page).not.toHaveURL(/\/login(?:[?#]|$)/);
}

export async function signOut(page: Page) {
  await signOutButton(page).click();
  await expect(page).toHaveURL(/\/login(?:[?#]|$)/);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
}

/** The next-auth session as the server sees it for this browser context (`{}` when none). */
export async function currentSession(page: Page): Promise<Record<string, unknown>> {
  const response = await page.request.get("/api/auth/session");
  expect(response.ok()).toBe(true);
  return response.json();
}

export async function expectSignedIn(page: Page) {
  const session = await currentSession(page);
  expect(session.user, "the session should have a user").toBeTruthy();
}

export async function expectSignedOut(page: Page) {
  expect(await currentSession(page)).toEqual({});
}

/** Presses Tab until `target` has focus; fails if it is not reached within `maxTabs` presses. */
export async function tabTo(page: Page, target: Locator, maxTabs = 25) {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Could not reach ${target} with ${maxTabs} presses of Tab`);
}

type AxePage = ConstructorParameters<typeof AxeBuilder>[0]["page"];

export async function expectNoSeriousA11yViolations(page: Page) {
  // AxeBuilder types `page` against its own playwright-core copy; the API is the same at run time.
  const results = await new AxeBuilder({ page: page as unknown as AxePage }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map(
    (v) => `[${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.map((node) => node.target.join(" ")).join("\n    ")}`,
  );
  expect(report, `serious or critical accessibility violations on ${page.url()}`).toEqual([]);
}
