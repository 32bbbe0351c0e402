import path from "node:path";
import { Worker } from "node:worker_threads";
import type { SecondFactorOutcome } from "@/lib/auth/second-factor";

type Attempt = { userId: number; method: "totp" | "backup"; code: string; now: number };
type WorkerMessage = { ready?: true; armed?: true; outcome?: SecondFactorOutcome };

/**
 * Worker threads, each with its own database connection: as many "server processes" as
 * attempts. `run` arms every worker, then releases them together: real concurrency on one file.
 */
export async function startWorkerPool(size: number) {
  const script = path.join(process.cwd(), "lib", "test-support", "second-factor-worker.mjs");
  const workers = await Promise.all(
    Array.from({ length: size }, () => {
      const worker = new Worker(script, { execArgv: ["--conditions", "react-server"] });
      return new Promise<Worker>((resolve, reject) => {
        worker.once("message", () => resolve(worker));
        worker.once("error", reject);
      });
    }),
  );

  async function run(attempts: Attempt[]): Promise<SecondFactorOutcome[]> {
    const gate = new SharedArrayBuffer(4);
    let armed = 0;
    return Promise.all(
      attempts.map(
        (attempt, index) =>
          new Promise<SecondFactorOutcome>((resolve) => {
            const worker = workers[index % workers.length];
            if (!worker) throw new Error("pool is empty");
            const onMessage = (message: WorkerMessage) => {
              if (message.armed && ++armed === attempts.length) {
                Atomics.store(new Int32Array(gate), 0, 1);
                Atomics.notify(new Int32Array(gate), 0);
              }
              if (message.outcome) {
                worker.off("message", onMessage);
                resolve(message.outcome);
              }
            };
            worker.on("message", onMessage);
            worker.postMessage({ attempt, gate });
          }),
      ),
    );
  }

  return { run, stop: () => Promise.all(workers.map((worker) => worker.terminate())) };
}
