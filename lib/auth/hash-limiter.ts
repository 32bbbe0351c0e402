import "server-only";
import os from "node:os";

// argon2 runs on libuv's thread pool (4 threads by default): more hashes at once only queue.
export const MAX_CONCURRENT_HASHES = Math.max(2, os.availableParallelism() * 2);

let inFlight = 0;

export class ServerBusyError extends Error {
  name = "ServerBusyError";
}

/** Runs a password hash now, or refuses at once (the caller answers 429) instead of queueing. */
export async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_CONCURRENT_HASHES) throw new ServerBusyError("too many password hashes in progress");
  inFlight++;
  try {
    return await work();
  } finally {
    inFlight--;
  }
}
