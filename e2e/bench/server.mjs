// The production server under test: build when needed, `next start` on a free loopback port with
// a fresh database and fresh secrets, time to the first 200, and a clean stop.
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "db", "types", "public", "proxy.ts", "instrumentation.ts", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package.json", "package-lock.json"];

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Why a build is needed (no build, or sources newer than it), or null when the build is current. */
export function buildNeeded(root, force) {
  if (force) return "--build was given";
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return "no production build yet";
  const builtAt = fs.statSync(buildId).mtimeMs;
  const stale = SOURCES.find((source) => newestMtime(path.join(root, source)) > builtAt);
  return stale ? `${stale} changed since the last build` : null;
}

function withoutKeys(env, keys) {
  const copy = { ...env };
  for (const key of keys) delete copy[key];
  return copy;
}

export function build(root) {
  // As e2e/run-all.mjs: the build must not see runtime secrets; next sets NODE_ENV itself.
  const env = { ...withoutKeys(process.env, ["NEXTAUTH_SECRET", "ENCRYPTION_KEY", "NODE_ENV"]), NEXT_TELEMETRY_DISABLED: "1" };
  // Its output goes to stderr: stdout carries only the table.
  execFileSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, env, stdio: ["ignore", 2, 2], timeout: 600_000 });
}

export function freePort() {
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

/** Fresh secrets and a database in `dataDir`, as e2e/run-all.mjs gives the browser tests. */
export function serverEnv(dataDir, port) {
  return {
    ...withoutKeys(process.env, ["NODE_ENV"]),
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: path.join(dataDir, "app.db"),
    EMAIL_OUTBOX_DIR: path.join(dataDir, "outbox"), // notification emails, as .eml files
    NEXTAUTH_URL: `http://localhost:${port}`,
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
    APP_NAME: "Acme",
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts `next start` (the binary itself, never through npx) and polls /login until the first
 * 200. Returns the child, the base URL and the milliseconds from spawn to that 200.
 */
export async function startServer(root, env, port, { timeoutMs = 60_000, nodeArgs = null } = {}) {
  const log = [];
  const started = performance.now();
  const args = ["start", "-p", String(port), "-H", "127.0.0.1"];
  // nodeArgs (e.g. --cpu-prof, which NODE_OPTIONS refuses): run next's CLI under this node instead.
  const [command, commandArgs] = nodeArgs
    ? [process.execPath, [...nodeArgs, path.join(root, "node_modules", "next", "dist", "bin", "next"), ...args]]
    : [path.join(root, "node_modules", ".bin", "next"), args];
  const child = spawn(command, commandArgs, {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: stopServer ends it and anything it started, by that id
  });
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => log.push(String(chunk)));
  let exited = null;
  child.on("exit", (code, signal) => (exited = { code, signal }));
  const base = `http://127.0.0.1:${port}`;
  const server = { child, base, log, listenMs: NaN };
  while (performance.now() - started < timeoutMs) {
    if (exited) throw new Error(`next start exited (${JSON.stringify(exited)}):\n${log.join("")}`);
    if (Number.isNaN(server.listenMs) && (await accepts(port))) server.listenMs = performance.now() - started;
    if (Number.isNaN(server.listenMs)) {
      await sleep(10);
      continue;
    }
    try {
      const response = await fetch(`${base}/login`, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.status === 200) return { ...server, startMs: performance.now() - started };
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  await stopServer(server);
  throw new Error(`no 200 from /login within ${timeoutMs} ms:\n${log.join("")}`);
}

/** For an interrupted run: the server's process group, at once. */
export function killServerNow({ child }) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export async function stopServer({ child }) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 5000);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  clearTimeout(timer);
}
