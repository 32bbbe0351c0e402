// `npm test`: tool check, lint, typecheck, unit tests, production build, browser tests, security suite.
// Every step runs even when an earlier one fails (Playwright needs a build and the tools),
// and the run ends with one summary line: `steps: N passed, M failed`.
//
//   node e2e/run-all.mjs               everything
//   node e2e/run-all.mjs --only e2e    tool check, build, Playwright
//   node e2e/run-all.mjs --only unit   vitest
// Other arguments go to `playwright test` (e.g. a spec file, `--grep`, `--headed`).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureTools } from "./ensure-tools.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function parseArgs(argv) {
  let only = null;
  const playwrightArgs = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--only") only = argv[++i];
    else if (arg.startsWith("--only=")) only = arg.slice("--only=".length);
    else playwrightArgs.push(arg);
  }
  if (only !== null && only !== "e2e" && only !== "unit") {
    console.error(`Unknown --only value: ${only ?? "(none)"}. Use --only e2e or --only unit.`);
    process.exit(2);
  }
  return { only, playwrightArgs };
}

let interrupted = false;
let currentChild = null;
// Ctrl-C reaches the child too (same process group); stay alive to clean up and report.
process.on("SIGINT", () => {
  interrupted = true;
});
// A SIGTERM is sent to us alone: pass it on as SIGINT, on which Playwright also stops its web server.
process.on("SIGTERM", () => {
  interrupted = true;
  currentChild?.kill("SIGINT");
});

function run(command, args, env = process.env) {
  console.log(`$ ${path.relative(root, command) || command} ${args.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    currentChild = child;
    child.on("error", (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(false);
    });
    child.on("exit", (code, signal) => {
      currentChild = null;
      if (signal) console.error(`${path.basename(command)} was killed by ${signal}`);
      resolve(code === 0);
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function withoutKeys(env, keys) {
  const copy = { ...env };
  for (const key of keys) delete copy[key];
  return copy;
}

const results = [];

async function step(label, fn) {
  if (interrupted) {
    results.push({ label, status: "skipped", note: "interrupted" });
    return false;
  }
  console.log(`\n==== ${label} ====`);
  const started = Date.now();
  let ok = false;
  try {
    ok = await fn();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`---- ${label}: ${ok ? "passed" : "FAILED"} in ${seconds}s ----`);
  results.push({ label, status: ok ? "passed" : "failed", seconds });
  return ok;
}

function skip(label, reason) {
  console.log(`\n==== ${label} ====\nskipped: ${reason}`);
  results.push({ label, status: "skipped", note: reason });
}

async function playwright(chromiumPath, extraArgs) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "2fa-e2e-"));
  const env = {
    ...process.env,
    E2E_PORT: String(port),
    E2E_CHROMIUM_PATH: chromiumPath,
    DATABASE_URL: path.join(dataDir, "app.db"),
    EMAIL_OUTBOX_DIR: path.join(dataDir, "outbox"),
    NEXTAUTH_URL: `http://localhost:${port}`,
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
    APP_NAME: "Acme",
  };
  console.log(`port ${port}, database ${env.DATABASE_URL}`);
  try {
    return await run(bin("playwright"), ["test", ...extraArgs], env);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const { only, playwrightArgs } = parseArgs(process.argv.slice(2));
  const all = only === null;
  const e2e = all || only === "e2e";
  const unit = all || only === "unit";

  let tools = null;
  if (e2e) {
    await step("tools: chromium, oathtool, zbarimg", async () => {
      tools = await ensureTools();
      return true;
    });
  }
  if (all) {
    await step("eslint .", () => run(bin("eslint"), ["."]));
    await step("tsc --noEmit", () => run(bin("tsc"), ["--noEmit"]));
  }
  if (unit) await step("vitest run", () => run(bin("vitest"), ["run"]));

  let built = false;
  if (e2e) {
    // The build must not depend on runtime secrets; next sets NODE_ENV=production itself.
    const buildEnv = withoutKeys(process.env, ["NEXTAUTH_SECRET", "ENCRYPTION_KEY", "NODE_ENV"]);
    built = await step("next build", () => run(bin("next"), ["build"], buildEnv));
    if (!built) skip("playwright test", "the build failed");
    else if (!tools) skip("playwright test", "tools are missing");
    else await step("playwright test", () => playwright(tools.chromiumPath, playwrightArgs));
    // The security suite attacks the same build over HTTP (its own servers, databases and secrets).
    if (all && built) await step("security suite", () => run(process.execPath, [path.join(root, "e2e", "security", "run.mjs"), "--no-build"]));
    else if (all) skip("security suite", "the build failed");
  }

  const passed = results.filter((r) => r.status === "passed").length;
  const failed = results.length - passed;
  console.log("\n==== summary ====");
  for (const r of results) {
    const detail = r.seconds ? `${r.seconds}s` : r.note;
    console.log(`  ${r.status.padEnd(7)}  ${r.label}  (${detail})`);
  }
  // A skipped step counts as failed: it did not show that anything works.
  console.log(`steps: ${passed} passed, ${failed} failed`);
  process.exit(interrupted ? 130 : failed > 0 ? 1 : 0);
}

main();
