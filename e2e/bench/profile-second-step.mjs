// Profiles the second step alone: challenges are opened on one server, then a second server started
// with --cpu-prof on the same database takes only the sign-ins (50 connections), so the profile
// holds nothing of the password step. Needs a current build (npm run build).
//   node e2e/bench/profile-second-step.mjs <profile dir>
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openChallenges, secondStepLoad } from "./load.mjs";
import { csrf } from "./http.mjs";
import { processCpuMs } from "./machine.mjs";
import { freePort, serverEnv, startServer, stopServer } from "./server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const profileDir = path.resolve(process.argv[2] ?? "cpu-profile");
const PASSWORD = "bench: correct horse battery staple";
const COUNT = 1200;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "2fa-profile-"));
try {
  const port = await freePort();
  const env = serverEnv(dataDir, port);
  fs.writeFileSync(path.join(dataDir, "spec.json"), JSON.stringify({ password: PASSWORD, twoFactorGroups: { second: COUNT }, wizardSteps: [] }));
  execFileSync(process.execPath, ["--conditions", "react-server", path.join(root, "e2e", "bench", "seed.mjs"), path.join(dataDir, "spec.json"), path.join(dataDir, "seed.json")], { cwd: root, env, stdio: "inherit" });
  const users = JSON.parse(fs.readFileSync(path.join(dataDir, "seed.json"), "utf8")).groups.second;

  const opener = await startServer(root, env, port);
  opener.origin = new URL(env.NEXTAUTH_URL).origin;
  const { opened } = await openChallenges(opener, users, PASSWORD, { concurrency: 4, deadlineMs: 180_000 });
  await stopServer(opener);

  const server = await startServer(root, env, port, { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] });
  server.origin = new URL(env.NEXTAUTH_URL).origin;
  const csrfPair = await csrf(server);
  const items = opened.map((user, i) => ({ ...user, method: i % 2 ? "totp" : "backup" }));
  const cpuBefore = processCpuMs(server.child.pid);
  const result = await secondStepLoad(server, csrfPair, items, { connections: 50, hardStopMs: 120_000 });
  const cpuMs = (processCpuMs(server.child.pid) - cpuBefore) / result.all.count;
  await stopServer(server);
  const ok = result.outcomes.totp.ok + result.outcomes.backup.ok;
  console.log(`${ok}/${result.sent} signed in, ${result.all.rps.toFixed(0)}/s, p50 ${result.all.p50.toFixed(0)} ms, p99 ${result.all.p99.toFixed(0)} ms, server CPU ${cpuMs.toFixed(2)} ms each; profile in ${profileDir}`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
