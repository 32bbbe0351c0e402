// Starts the production build (`next start`, never through npx) on a free loopback port with a
// fresh database and random secrets; its stdout and stderr go to a log file for the secrets scan.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { recordSecret, runDir, runPath } from "./run-dir";

// The runner (e2e/security/run.mjs) works from the project folder.
const ROOT = process.cwd();
const NEXT_BIN = path.join(ROOT, "node_modules", ".bin", "next");
const READY_TIMEOUT_MS = 30_000;

export type ServerOptions = {
  /** NEXTAUTH_URL's scheme: "https" makes every cookie Secure (the server itself still speaks http). */
  scheme?: "http" | "https";
  /** A second server process on the same database file with the same secrets (another port). */
  twinOf?: Server;
};

export type Server = {
  name: string;
  port: number;
  /** Where requests go: http://localhost:PORT. */
  baseURL: string;
  /** The app's own origin, as a browser on it sends in Origin. */
  origin: string;
  dbPath: string;
  logPath: string;
  secrets: { nextAuthSecret: string; encryptionKey: string };
  starts: number;
  restart(): Promise<void>;
  /** SIGKILL: no clean-up, no flush; resolves when the process is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`next start exited (${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/auth/csrf`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`next start on port ${port} was not ready within ${READY_TIMEOUT_MS} ms`);
}

export async function startServer(name: string, { scheme = "http", twinOf }: ServerOptions = {}): Promise<Server> {
  const port = await freePort();
  const dbPath = twinOf?.dbPath ?? runPath("servers", name, "app.db");
  const logPath = runPath("logs", `${name}.log`);
  const secrets = twinOf?.secrets ?? {
    nextAuthSecret: crypto.randomBytes(32).toString("base64url"),
    encryptionKey: crypto.randomBytes(32).toString("base64"),
  };
  recordSecret("server-secret", secrets.nextAuthSecret);
  recordSecret("server-secret", secrets.encryptionKey);
  const origin = `${scheme}://localhost:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  for (const key of Object.keys(env)) if (key.startsWith("WEBAUTHN_")) delete env[key];
  for (const key of ["SMTP_URL", "EMAIL_FROM"]) delete env[key];
  const outbox = path.join(runDir(), "outbox", twinOf?.name ?? name);
  fs.mkdirSync(outbox, { recursive: true });
  Object.assign(env, {
    DATABASE_URL: dbPath,
    // Notification emails become files here (never sent anywhere); the secrets scan reads them.
    EMAIL_OUTBOX_DIR: outbox,
    NEXTAUTH_URL: origin,
    NEXTAUTH_SECRET: secrets.nextAuthSecret,
    ENCRYPTION_KEY: secrets.encryptionKey,
    APP_NAME: "Acme",
  });

  let child: ChildProcess | null = null;
  /** SIGKILL ends the server at once (a crash); SIGTERM lets it shut down, with SIGKILL after 5 s. */
  async function endChild(signal: "SIGKILL" | "SIGTERM") {
    const current = child;
    child = null;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill(signal);
    const timer = signal === "SIGTERM" ? setTimeout(() => current.kill("SIGKILL"), 5000) : undefined;
    await exited;
    clearTimeout(timer);
  }
  const server: Server = {
    name,
    port,
    baseURL: `http://localhost:${port}`,
    origin,
    dbPath,
    logPath,
    secrets,
    starts: 0,
    async restart() {
      if (child) throw new Error("already running");
      const log = fs.openSync(logPath, "a");
      const started = spawn(NEXT_BIN, ["start", "-p", String(port), "-H", "127.0.0.1"], {
        cwd: ROOT,
        env,
        stdio: ["ignore", log, log],
      });
      fs.closeSync(log);
      running.add(started);
      started.once("exit", () => running.delete(started));
      child = started;
      server.starts++;
      await waitUntilReady(port, started);
    },
    async kill() {
      await endChild("SIGKILL");
    },
    async stop() {
      await endChild("SIGTERM");
    },
  };
  await server.restart();
  return server;
}
