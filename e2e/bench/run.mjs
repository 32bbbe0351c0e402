// `npm run bench`: the speed of the sign-in path and the weight of the pages, each against a budget,
// measured side by side in one run on this machine. Not part of `npm test`. Prints a table and
// exits 1 when a budget is missed (or could not be measured), 2 when the bench itself failed.
//
//   npm run bench               build if the sources changed since the last build, then measure
//   npm run bench -- --build    always build first
//   npm run bench -- --profile=DIR   also write the server's CPU profile (.cpuprofile) into DIR
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { addFigures, BUSY_SHARE } from "./figures.mjs";
import { burst, floorLoad, openChallenges, pacedSecondStep, passwordLoad, secondFactorFields, secondStepLoad } from "./load.mjs";
import { signIn, staleSession, weighPage, WIZARD_PAGES } from "./pages.mjs";
import { csrf, secondStep } from "./http.mjs";
import { Report } from "./report.mjs";
import { cpuSnapshot, otherCpuShare, processCpuMs, residentBytes } from "./machine.mjs";
import { build, buildNeeded, freePort, killServerNow, serverEnv, startServer, stopServer } from "./server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
process.chdir(root);

const PASSWORD = "bench: correct horse battery staple";
const CORES = os.availableParallelism();
const HASH_CAP = Math.max(2, CORES * 2); // what lib/auth/hash-limiter.ts allows on this machine
const PASSWORD_CONNECTIONS = 16;
const PASSWORD_SECONDS = 10;
const SECOND_STEP_CONNECTIONS = 50;
const SECOND_STEP_REQUESTS = 1200;
// The same 50 connections at a steady rate the server can serve (open loop), for the latency people see.
const PACED_RATE = 100;
const PACED_REQUESTS = 600;
const WARMUP = 20;
const WRONG_PASSWORD_BUDGET = 40; // per-IP throttle: 100 wrong passwords in 15 minutes (db/throttle-queries.ts)

const log = (message) => console.error(`[bench] ${message}`);

function runChild(script, env, args) {
  execFileSync(process.execPath, ["--conditions", "react-server", path.join(root, "e2e", "bench", script), ...args], {
    cwd: root,
    env,
    stdio: ["ignore", 2, 2], // stdout carries only the table
    timeout: 180_000,
  });
}

function gitDescription() {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim();
    return `${commit}${dirty ? " + uncommitted changes" : ""}`;
  } catch {
    return "not a git checkout";
  }
}

let liveServer = null;

async function measureServer(seeded, env, port) {
  const m = {};
  const profileDir = process.argv.find((arg) => arg.startsWith("--profile="))?.slice("--profile=".length);
  const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : null;
  const server = await startServer(root, env, port, { nodeArgs });
  liveServer = server;
  server.origin = new URL(env.NEXTAUTH_URL).origin;
  m.startMs = server.startMs;
  m.listenMs = server.listenMs;
  // next start compiles a TypeScript config on every start; Next reports how long that took.
  const config = /Running next\.config\.\w+ took ([\d.]+)(ms|s)/.exec(server.log.join(""));
  m.configMs = config ? Number(config[1]) * (config[2] === "s" ? 1000 : 1) : NaN;
  m.rssStart = residentBytes(server.child.pid);
  const cpuBefore = cpuSnapshot(server.child.pid);
  try {
    const loadUsers = seeded.groups.load;
    const [warm, measured] = [seeded.groups.second.slice(0, WARMUP), seeded.groups.second.slice(WARMUP)];
    const items = (users) => users.map((user, i) => ({ ...user, method: i % 2 ? "totp" : "backup" }));

    log("warm-up: sign-ins through both steps");
    const csrfPair = await csrf(server);
    const warmOpened = await openChallenges(server, warm, PASSWORD, { concurrency: 1, deadlineMs: 60_000 });
    let signIns = 0;
    for (const item of items(warmOpened.opened)) if (await secondStep(server, csrfPair, item.challenge, secondFactorFields(item))) signIns++;

    log(`password step: bursts of ${PASSWORD_CONNECTIONS}, then ${PASSWORD_CONNECTIONS} connections for ${PASSWORD_SECONDS} s`);
    m.bursts = [];
    for (let i = 0; i < 3; i++) {
      m.bursts.push(await burst(server, loadUsers.slice(i * PASSWORD_CONNECTIONS), PASSWORD, PASSWORD_CONNECTIONS));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const passwordOptions = { users: loadUsers, password: PASSWORD };
    m.passwordAtCap = await passwordLoad(server, { ...passwordOptions, connections: HASH_CAP, seconds: 5, wrongBudget: 8 });
    const cpuBeforePassword = processCpuMs(server.child.pid);
    m.password = await passwordLoad(server, { ...passwordOptions, connections: PASSWORD_CONNECTIONS, seconds: PASSWORD_SECONDS, wrongBudget: WRONG_PASSWORD_BUDGET });
    m.password.cpuMsPerRequest = (processCpuMs(server.child.pid) - cpuBeforePassword) / m.password.all.count;

    log(`second step: ${measured.length} password steps first (${HASH_CAP} at a time), then ${SECOND_STEP_CONNECTIONS} connections`);
    const opened = await openChallenges(server, measured, PASSWORD, { concurrency: HASH_CAP, deadlineMs: 120_000 });
    m.challengeRetries = opened.retries;
    const cpuBeforeLoad = processCpuMs(server.child.pid);
    m.secondStep = await secondStepLoad(server, csrfPair, items(opened.opened), { connections: SECOND_STEP_CONNECTIONS, hardStopMs: 120_000 });
    m.secondStep.cpuMsPerRequest = (processCpuMs(server.child.pid) - cpuBeforeLoad) / m.secondStep.all.count;
    m.secondStep.prepared = opened.opened.length;
    signIns += m.secondStep.outcomes.totp.ok + m.secondStep.outcomes.backup.ok;

    log(`second step, paced: ${PACED_REQUESTS} password steps first, then ${PACED_RATE} sign-ins/s over ${SECOND_STEP_CONNECTIONS} connections`);
    const paced = await openChallenges(server, seeded.groups.paced, PASSWORD, { concurrency: HASH_CAP, deadlineMs: 120_000 });
    m.pacedSecondStep = await pacedSecondStep(server, csrfPair, items(paced.opened), { connections: SECOND_STEP_CONNECTIONS, rate: PACED_RATE });
    signIns += m.pacedSecondStep.outcomes.ok;
    m.signIns = signIns;
    m.rssAfter = residentBytes(server.child.pid);
    const cpuBeforeFloor = processCpuMs(server.child.pid);
    m.floor = await floorLoad(server, { connections: SECOND_STEP_CONNECTIONS, seconds: 3 });
    m.floor.cpuMsPerRequest = (processCpuMs(server.child.pid) - cpuBeforeFloor) / m.floor.all.count;
    m.otherCpu = otherCpuShare(cpuBefore, cpuSnapshot(server.child.pid));

    log("page weight");
    const wizard = seeded.wizard;
    const sessions = {};
    for (const { step } of WIZARD_PAGES) {
      sessions[step] =
        step === "confirm-password"
          ? await staleSession(env.NEXTAUTH_SECRET, wizard[step].id, 11 * 60_000)
          : await signIn(server, wizard[step].email, PASSWORD);
    }
    m.pages = {
      baseline: await weighPage(server, "/_not-found", { session: sessions["choose-app"], expect: /404/ }),
      login: await weighPage(server, "/login", { expect: /aria-label="Sign in"/ }),
      wizard: [],
    };
    for (const page of WIZARD_PAGES) {
      m.pages.wizard.push({ ...page, ...(await weighPage(server, "/settings/two-factor", { session: sessions[page.step], expect: page.expect })) });
    }
  } finally {
    await stopServer(server);
    liveServer = null;
  }
  return m;
}

async function main() {
  const force = process.argv.includes("--build");
  for (const bin of ["next"]) {
    if (!fs.existsSync(path.join(root, "node_modules", ".bin", bin))) throw new Error("run `npm install` first");
  }
  const started = performance.now();
  const machine = `node ${process.version}, ${CORES} cores, load average ${os.loadavg()[0].toFixed(2)} at start, ${gitDescription()}`;
  const why = buildNeeded(root, force);
  if (why) {
    log(`building (${why})`);
    build(root);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "2fa-bench-"));
  const cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      if (liveServer) killServerNow(liveServer);
      cleanup();
      process.exit(130);
    });
  }
  try {
    const port = await freePort();
    const env = serverEnv(dataDir, port);

    log("in-process: TOTP, backup codes, prepared statements (own database)");
    runChild("micro.mjs", { ...env, DATABASE_URL: path.join(dataDir, "micro.db") }, [path.join(dataDir, "micro.json")]);
    const micro = JSON.parse(fs.readFileSync(path.join(dataDir, "micro.json"), "utf8"));

    log("seeding the server's database");
    const spec = {
      password: PASSWORD,
      twoFactorGroups: { load: 200, second: WARMUP + SECOND_STEP_REQUESTS, paced: PACED_REQUESTS },
      wizardSteps: WIZARD_PAGES.map((page) => page.step),
    };
    fs.writeFileSync(path.join(dataDir, "seed-spec.json"), JSON.stringify(spec));
    runChild("seed.mjs", env, [path.join(dataDir, "seed-spec.json"), path.join(dataDir, "seed.json")]);
    const seeded = JSON.parse(fs.readFileSync(path.join(dataDir, "seed.json"), "utf8"));

    const server = await measureServer(seeded, env, port);
    const report = new Report();
    addFigures(report, { micro, ...server, cores: CORES, hashCap: HASH_CAP });
    console.log(`\nnpm run bench: ${machine}; ${((performance.now() - started) / 1000).toFixed(0)} s`);
    if (server.otherCpu !== null) {
      const busy = server.otherCpu >= BUSY_SHARE ? " -- the machine was busy: the timings below are inflated, run again when it is quiet" : "";
      console.log(`other processes used ${(server.otherCpu * 100).toFixed(0)}% of the CPU during the server measurements${busy}`);
    }
    report.print();
    const failed = report.failed;
    if (failed.some((row) => row.status === "NOT MEASURED")) {
      console.log("NOT MEASURED: over budget while other processes were busy, and not provably the server's own doing: run again on a quiet machine.");
    }
    console.log(failed.length ? `${failed.length} budget(s) missed or not measured: ${failed.map((r) => r.figure).join("; ")}` : "every budget met");
    process.exitCode = failed.length ? 1 : 0;
  } finally {
    cleanup();
  }
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 2;
});
