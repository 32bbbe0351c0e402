// One "server process" in the concurrency tests: its own SQLite connection to the shared file.
import { parentPort } from "node:worker_threads";

type Attempt = { userId: number; method: "totp" | "backup"; code: string; now: number };

const { verifySecondFactor } = await import("@/lib/auth/second-factor");
const { db } = await import("@/db/index");
db();

parentPort?.on("message", ({ attempt, gate }: { attempt: Attempt; gate: SharedArrayBuffer }) => {
  parentPort?.postMessage({ armed: true });
  Atomics.wait(new Int32Array(gate), 0, 0); // every worker is released at the same moment
  const outcome = verifySecondFactor(attempt.userId, { method: attempt.method, code: attempt.code }, attempt.now);
  parentPort?.postMessage({ outcome });
});
parentPort?.postMessage({ ready: true });
