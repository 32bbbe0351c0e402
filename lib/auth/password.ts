import "server-only";
import { hash, verify } from "@node-rs/argon2";
import { withHashSlot } from "./hash-limiter";

// The package exports Algorithm as a const enum, which isolatedModules cannot read.
const ARGON2ID = 2;

// OWASP's argon2id minimum: 19 MiB memory, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Throws ServerBusyError when the server is already hashing as much as it can. */
export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, ARGON2_OPTIONS));
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no stored hash (unknown email) it still
 * runs one full argon2 verify against a dummy, so response time does not reveal which emails exist.
 * Throws ServerBusyError when the server is already hashing as much as it can.
 */
export function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  return withHashSlot(() => verifyPasswordInSlot(storedHash, password));
}

/** verifyPassword for a caller that already holds a hash slot (see withHashSlot). */
export async function verifyPasswordInSlot(storedHash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hash("dummy password for unknown accounts", ARGON2_OPTIONS);
  const target = storedHash ?? (await dummyHash);
  try {
    return (await verify(target, password, ARGON2_OPTIONS)) && storedHash !== undefined;
  } catch {
    return false;
  }
}
