// Helpers for the security activity list on Settings, the notification emails the server writes
// as .eml files into EMAIL_OUTBOX_DIR (no SMTP_URL in the e2e run), and the support CLI run as
// support would run it: `npm run admin -- …` in a separate process on the same database.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect } from "./fixtures";

/** The exact subjects of lib/email/messages.ts, written out: the test is the spec. */
export const SUBJECTS = {
  twoFactorOn: "Two-factor authentication is on",
  twoFactorOff: "Two-factor authentication was turned off",
  twoFactorReset: "Two-factor authentication was reset by support",
  backupCodeUsed: "A backup code was used",
  newBackupCodes: "New backup codes were created",
  keyAdded: "A security key was added",
  keyRemoved: "A security key was removed",
  locked: "Two-factor sign-in locked after too many attempts",
  authenticatorChanged: "Your authenticator app was changed",
  passwordChanged: "Your password was changed",
} as const;

// ---------------------------------------------------------------------------------------------
// Recent security activity

export type ActivityEntry = {
  /** What happened: "Signed in (password only)". */
  label: string;
  /** As shown: "2026-03-05 14:05 UTC". */
  time: string;
  /** The <time> element's machine-readable dateTime, in ms. */
  at: number;
  /** Everything after the time: "Chrome on Windows · 127.0.0.1". */
  where: string;
};

export function activityList(page: Page): Locator {
  return page.getByRole("main").getByRole("list", { name: "Recent security activity", exact: true });
}

/** The list's rows, newest first, each split into what happened, when and from where. */
export async function readActivity(page: Page): Promise<ActivityEntry[]> {
  return activityList(page)
    .getByRole("listitem")
    .evaluateAll((items) =>
      items.map((item) => {
        const [what, meta] = Array.from(item.children);
        const time = meta?.querySelector("time");
        const metaText = meta?.textContent ?? "";
        const shown = time?.textContent ?? "";
        return {
          label: what?.textContent?.trim() ?? "",
          time: shown,
          at: Date.parse(time?.getAttribute("datetime") ?? ""),
          where: metaText.slice(metaText.indexOf(shown) + shown.length).replace(/^\s*·\s*/, "").trim(),
        };
      }),
    );
}

/** Reloads Settings and returns its activity list (an action's own page may not re-render it). */
export async function openActivity(page: Page): Promise<ActivityEntry[]> {
  await page.goto("/settings");
  await expect(page).toHaveURL("/settings");
  await expect(page.getByRole("heading", { level: 2, name: "Recent security activity", exact: true })).toBeVisible();
  return readActivity(page);
}

/** Settings lists exactly `labels`, newest first (the account is fresh, so nothing else is there). */
export async function expectActivity(page: Page, labels: string[]): Promise<ActivityEntry[]> {
  const entries = await openActivity(page);
  expect(entries.map((entry) => entry.label), "Recent security activity, newest first").toEqual(labels);
  return entries;
}

/** "2026-03-05 14:05 UTC", as the activity list writes times. */
export function activityTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * Each entry shows when it happened (a UTC time matching its dateTime, within [from, to]) and
 * the device: "Chrome on Windows · <address>".
 */
export function expectTimesAndDevice(entries: ActivityEntry[], device: string, from: number, to = Date.now()) {
  for (const entry of entries) {
    expect(entry.time, `the time of "${entry.label}"`).toBe(activityTime(entry.at));
    expect(entry.at, `"${entry.label}" happened during the test`).toBeGreaterThanOrEqual(from - 1000);
    expect(entry.at, `"${entry.label}" happened during the test`).toBeLessThanOrEqual(to + 1000);
    expect(entry.where, `where "${entry.label}" came from`).toMatch(new RegExp(`^${device} · \\S+$`));
  }
}

/**
 * The "Chrome on Windows"-style name of the browser `page` runs in, from the user agent it sends.
 * (Playwright's Desktop Chrome profile sends a Windows Chrome user agent, whatever the host.)
 */
export async function deviceOf(page: Page): Promise<string> {
  const userAgent = await page.evaluate(() => navigator.userAgent);
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Chrome\//.test(userAgent) ? "Chrome" : /Firefox\//.test(userAgent) ? "Firefox" : null;
  const system = /Windows/.test(userAgent) ? "Windows" : /Mac OS X/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : null;
  if (!browser || !system) throw new Error(`No simple device name for the user agent ${userAgent}`);
  return `${browser} on ${system}`;
}

// ---------------------------------------------------------------------------------------------
// The outbox

export type Email = { file: string; from: string; to: string; subject: string; body: string };

function outboxDir(): string {
  const dir = process.env.EMAIL_OUTBOX_DIR;
  if (!dir) throw new Error("EMAIL_OUTBOX_DIR is not set. Run the browser tests with `npm run test:e2e`.");
  return dir;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=), in case a header needed them. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
  // Percent-escape the rest so decodeURIComponent sees only our escapes.
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, "%25"));
}

/** Parses one .eml file as nodemailer writes it: headers (possibly folded), a blank line, a body. */
export function parseEml(file: string, raw: string): Email {
  const text = raw.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const headerText = split < 0 ? text : text.slice(0, split);
  const rawBody = split < 0 ? "" : text.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of headerText.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeHeader(line.slice(colon + 1).trim()));
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  const body =
    encoding === "quoted-printable"
      ? decodeQuotedPrintable(rawBody)
      : encoding === "base64"
        ? Buffer.from(rawBody.replace(/\s+/g, ""), "base64").toString("utf8")
        : rawBody;
  return {
    file,
    from: headers.get("from") ?? "",
    to: headers.get("to") ?? "",
    subject: headers.get("subject") ?? "",
    body: body.trimEnd(),
  };
}

/** Every email in the outbox addressed to `recipient` (all of them without one), oldest first. */
export function readOutbox(recipient?: string): Email[] {
  const dir = outboxDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .map((name) => parseEml(name, fs.readFileSync(path.join(dir, name), "utf8")))
    .filter((email) => recipient === undefined || email.to === recipient);
}

/**
 * Waits (briefly: the server sends right after the change commits) until the outbox holds
 * `count` emails to `recipient` with exactly `subject`; returns them.
 */
export async function expectEmails(recipient: string, subject: string, count = 1): Promise<Email[]> {
  const matching = () => readOutbox(recipient).filter((email) => email.subject === subject);
  await expect
    .poll(() => matching().length, { message: `emails to ${recipient} with the subject "${subject}"`, timeout: 10_000 })
    .toBe(count);
  return matching();
}

/** The one email to `recipient` with exactly `subject` (waiting for it briefly). */
export async function expectEmail(recipient: string, subject: string): Promise<Email> {
  const [email] = await expectEmails(recipient, subject, 1);
  if (!email) throw new Error("unreachable");
  return email;
}

// ---------------------------------------------------------------------------------------------
// The support CLI

export type CommandResult = { code: number | null; stdout: string; stderr: string };

/**
 * `npm run admin -- <args>` in the project folder, with this process's environment (the run's
 * DATABASE_URL, EMAIL_OUTBOX_DIR, ENCRYPTION_KEY, NEXTAUTH_SECRET, APP_NAME) and no terminal.
 */
export function runAdmin(...args: string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "admin", "--", ...args], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGTERM"), 25_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
