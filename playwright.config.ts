import { defineConfig, devices } from "@playwright/test";

// e2e/run-all.mjs picks the port, a fresh database and fresh secrets for every run.
const port = process.env.E2E_PORT;
if (!port) {
  throw new Error(
    "E2E_PORT is not set. Run the browser tests with `npm run test:e2e` (it builds the app, " +
      "starts it on a free port with a throwaway database and finds a Chromium).",
  );
}
// localhost, not 127.0.0.1: WebAuthn refuses IP addresses as relying-party IDs.
const baseURL = `http://localhost:${port}`;

function passThrough(names: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM_PATH,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // Not `npx next start`: killing npx would leave next-server running.
    command: `./node_modules/.bin/next start -p ${port} -H 127.0.0.1`,
    url: `http://127.0.0.1:${port}/login`,
    reuseExistingServer: false,
    timeout: 60_000,
    stderr: "pipe",
    env: passThrough(["DATABASE_URL", "EMAIL_OUTBOX_DIR", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "ENCRYPTION_KEY", "APP_NAME"]),
  },
});
