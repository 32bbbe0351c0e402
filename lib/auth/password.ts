import "server-only";
import { hash, verify } from "@node-rs/argon2";

// The package exports Algorithm as a const enum, which isolatedModules cannot read.
const ARGON2ID = 2;

// OWASP's argon2id minimum: 19 MiB memory, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;


export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no stored hash (unknown email) it still
 * runs one full argon2 verify against a dummy, so response time does not reveal which emails exist.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword("dummy password for unknown accounts");
  const target = storedHash ?? (await dummyHash);
  try {
    const matches = await verify(target, password, ARGON2_OPTIONS);
    return matches && storedHash !== undefined;
  } catch {
    return false;
  }
}
