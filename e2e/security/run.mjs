// `npm run test:security`: attacks the production build over HTTP on loopback.
// Builds when the build is missing or older than the sources (or always with --build; never
// with --no-build, as `npm test` does right after its own build), makes a scratch folder for the
// run's databases, server logs and the secrets ledger, runs Playwright with
// e2e/security/playwright.config.ts and removes the folder. Other arguments go to Playwright.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
process.chdir(root);
const bin = (name) => path.join(root, "node_modules", ".bin", name);

const SOURCES = ["app", "components", "lib", "db", "types", "public", "proxy.ts", "instrumentation.ts", "next.config.ts", "package-lock.json", "tsconfig.json"];

function newestSourceMtime() {
  let newest = 0;
  const visit = (file) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) visit(path.join(root, source));
  return newest;
}

function buildIsCurrent() {
  const stat = fs.statSync(path.join(root, ".next", "BUILD_ID"), { throwIfNoEntry: false });
  return stat !== undefined && stat.mtimeMs >= newestSourceMtime();
}

let child = null;
let interrupted = false;
// Ctrl-C reaches Playwright too (same process group); a SIGINT sent to us alone (npm test passes
// on its SIGTERM that way) is passed on, so Playwright stops and its servers are killed.
process.on("SIGINT", () => {
  interrupted = true;
  child?.kill("SIGINT");
});
process.on("SIGTERM", () => {
  interrupted = true;
  child?.kill("SIGINT");
});

function run(command, args, env) {
  console.log(`$ ${path.relative(root, command)} ${args.join(" ")}`);
  return new Promise((resolve) => {
    child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => {
      child = null;
      resolve(signal ? 1 : (code ?? 1));
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const forceBuild = argv.includes("--build");
  const noBuild = argv.includes("--no-build");
  const playwrightArgs = argv.filter((arg) => arg !== "--build" && arg !== "--no-build");

  if (forceBuild || (!noBuild && !buildIsCurrent())) {
    const buildEnv = { ...process.env };
    for (const key of ["NEXTAUTH_SECRET", "ENCRYPTION_KEY", "NODE_ENV"]) delete buildEnv[key];
    if ((await run(bin("next"), ["build"], buildEnv)) !== 0) {
      console.error("The build failed: nothing to attack.");
      process.exit(1);
    }
  } else if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.error("--no-build, but there is no build in .next/.");
    process.exit(1);
  }

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "2fa-security-"));
  console.log(`scratch folder ${runDir}`);
  // With no filter every spec runs, and the secrets scan insists on having seen every kind of secret.
  const env = { ...process.env, SEC_RUN_DIR: runDir, SEC_FULL_RUN: playwrightArgs.length === 0 ? "1" : "" };
  for (const key of ["NEXTAUTH_SECRET", "ENCRYPTION_KEY", "NEXTAUTH_URL", "DATABASE_URL"]) delete env[key];
  let code = 1;
  try {
    code = await run(bin("playwright"), ["test", "--config", "e2e/security/playwright.config.ts", ...playwrightArgs], env);
  } finally {
    if (process.env.SEC_KEEP_RUN_DIR) console.log(`kept ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  }
  process.exit(interrupted ? 130 : code);
}

main();
