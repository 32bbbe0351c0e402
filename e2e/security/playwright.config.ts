import { defineConfig } from "@playwright/test";

// e2e/security/run.mjs builds when needed and gives every run a scratch folder (SEC_RUN_DIR);
// each spec starts its own `next start` on a free loopback port with a fresh database.
if (!process.env.SEC_RUN_DIR) {
  throw new Error("SEC_RUN_DIR is not set. Run the security suite with `npm run test:security`.");
}

export default defineConfig({
  testDir: ".",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  // The whole suite has a budget: a hang is a failure, not a stuck CI job.
  globalTimeout: 6 * 60_000,
  reporter: [["list"]],
  outputDir: `${process.env.SEC_RUN_DIR}/test-results`,
  // *.attack.ts, not *.spec.ts: the browser suite (playwright.config.ts, testDir e2e) must not pick these up.
  testMatch: /\.attack\.ts$/,
  projects: [
    // Last, after every attack (and even when some failed): look for secrets in what the servers
    // logged, answered and stored.
    { name: "attacks", testIgnore: /secrets-scan\.attack\.ts$/, teardown: "secrets" },
    { name: "secrets", testMatch: /secrets-scan\.attack\.ts$/ },
  ],
});
