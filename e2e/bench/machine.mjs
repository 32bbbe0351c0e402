// The machine side of the figures: the server's memory and CPU time, and how much of the CPU
// other processes took meanwhile (a shared machine inflates every latency). Linux /proc.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** Resident memory of the server and any process it started, in bytes (Linux /proc, else ps). */
export function residentBytes(pid) {
  const pids = [pid];
  try {
    for (let i = 0; i < pids.length && i < 64; i++) {
      for (const task of fs.readdirSync(`/proc/${pids[i]}/task`)) {
        const children = fs.readFileSync(`/proc/${pids[i]}/task/${task}/children`, "utf8").trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      }
    }
    return pids.reduce((sum, id) => {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${id}/status`, "utf8"));
      return sum + (match ? Number(match[1]) * 1024 : 0);
    }, 0);
  } catch {
    return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) * 1024;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function processTicks(pid) {
  // Fields after the command name: utime and stime are the 12th and 13th.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time the server process has used so far, in ms (null where /proc is missing). */
export function processCpuMs(pid) {
  try {
    return (processTicks(pid) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU time of the whole machine and of the bench itself (this process and the server), Linux only. */
export function cpuSnapshot(serverPid) {
  try {
    const [, ...ticks] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    const own = processTicks(serverPid) + ((process.cpuUsage().user + process.cpuUsage().system) / 1e6) * TICKS_PER_SECOND;
    return { busy: total - idle, total, own };
  } catch {
    return null;
  }
}

/** Share of the machine's CPU that other processes used between two snapshots (null if unknown). */
export function otherCpuShare(before, after) {
  if (!before || !after || after.total <= before.total) return null;
  const others = after.busy - before.busy - (after.own - before.own);
  return Math.max(0, others) / (after.total - before.total);
}
