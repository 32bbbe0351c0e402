import "server-only";
import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { db } from "./index";
import { bumpSessionVersion } from "./queries";
import { securityKeys, twoFactor, webauthnChallenges } from "./schema";
import { immediateTransaction, type Executor, type Transaction } from "./transaction";
import type { Audit } from "./two-factor-queries";

export type SecurityKeySummary = { id: number; name: string; createdAt: number; lastUsedAt: number | null };
export type StoredCredential = { id: number; credentialId: string; publicKey: string; counter: number; transports: string | null };
type ChallengePurpose = "register" | "sign-in";

export function listSecurityKeys(userId: number): SecurityKeySummary[] {
  return db()
    .select({ id: securityKeys.id, name: securityKeys.name, createdAt: securityKeys.createdAt, lastUsedAt: securityKeys.lastUsedAt })
    .from(securityKeys)
    .where(eq(securityKeys.userId, userId))
    .orderBy(securityKeys.createdAt)
    .all();
}

export function getCredentials(userId: number): StoredCredential[] {
  return db()
    .select({
      id: securityKeys.id,
      credentialId: securityKeys.credentialId,
      publicKey: securityKeys.publicKey,
      counter: securityKeys.counter,
      transports: securityKeys.transports,
    })
    .from(securityKeys)
    .where(eq(securityKeys.userId, userId))
    .all();
}

/** Looked up by credential id AND user: another user's key never matches. */
export function findCredential(userId: number, credentialId: string): StoredCredential | undefined {
  return getCredentials(userId).find((credential) => credential.credentialId === credentialId);
}

export function hasSecurityKeys(userId: number): boolean {
  return db().select({ id: securityKeys.id }).from(securityKeys).where(eq(securityKeys.userId, userId)).limit(1).get() !== undefined;
}

export function insertSecurityKey(
  key: { userId: number; credentialId: string; publicKey: string; counter: number; transports: string | null; name: string },
  now: number,
  audit?: Audit,
): { id: number } | "duplicate" | "two-factor-off" {
  try {
    return immediateTransaction((tx) => {
      // Two-factor may have been turned off (in another tab) since the registration started.
      if (!tx.select({ userId: twoFactor.userId }).from(twoFactor).where(eq(twoFactor.userId, key.userId)).get()) {
        return "two-factor-off" as const;
      }
      const [row] = tx.insert(securityKeys).values({ ...key, createdAt: now }).returning({ id: securityKeys.id }).all();
      if (!row) throw new Error("insert returned no row");
      bumpSessionVersion(key.userId, tx);
      audit?.(tx);
      return row;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return "duplicate";
    throw error;
  }
}

export function renameSecurityKey(userId: number, keyId: number, name: string): boolean {
  const result = db()
    .update(securityKeys)
    .set({ name })
    .where(and(eq(securityKeys.id, keyId), eq(securityKeys.userId, userId)))
    .run();
  return result.changes === 1;
}

/** Removes a key; returns its name for the event, or null when there was no such key. */
export function removeSecurityKey(userId: number, keyId: number, audit?: (tx: Transaction, name: string) => void): string | null {
  return immediateTransaction((tx) => {
    const removed = tx
      .delete(securityKeys)
      .where(and(eq(securityKeys.id, keyId), eq(securityKeys.userId, userId)))
      .returning({ name: securityKeys.name })
      .get();
    if (!removed) return null;
    bumpSessionVersion(userId, tx);
    audit?.(tx, removed.name);
    return removed.name;
  });
}

export function createWebauthnChallenge(
  challenge: { challenge: string; userId: number; purpose: ChallengePurpose; signInChallengeHash: string | null },
  now: number,
  expiresAt: number,
): void {
  immediateTransaction((tx) => {
    // Spent and expired challenges go, and so does any earlier one for the same ceremony:
    // only the newest challenge of a registration or of a sign-in can be answered.
    tx.delete(webauthnChallenges)
      .where(
        and(
          eq(webauthnChallenges.userId, challenge.userId),
          or(
            lt(webauthnChallenges.expiresAt, now),
            sql`${webauthnChallenges.consumedAt} IS NOT NULL`,
            and(
              eq(webauthnChallenges.purpose, challenge.purpose),
              challenge.signInChallengeHash === null
                ? isNull(webauthnChallenges.signInChallengeHash)
                : eq(webauthnChallenges.signInChallengeHash, challenge.signInChallengeHash),
            ),
          ),
        ),
      )
      .run();
    tx.insert(webauthnChallenges).values({ ...challenge, expiresAt }).run();
  });
}

/** The newest unused registration challenge of this user (the one the browser was just given). */
export function latestRegistrationChallenge(userId: number, now: number): string | undefined {
  return db()
    .select({ challenge: webauthnChallenges.challenge })
    .from(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.userId, userId),
        eq(webauthnChallenges.purpose, "register"),
        isNull(webauthnChallenges.consumedAt),
        gt(webauthnChallenges.expiresAt, now),
      ),
    )
    .orderBy(desc(webauthnChallenges.expiresAt))
    .get()?.challenge;
}

/** Single use: only the first conditional UPDATE of a live challenge changes a row. */
export function consumeWebauthnChallenge(
  challenge: { challenge: string; userId: number; purpose: ChallengePurpose; signInChallengeHash: string | null },
  now: number,
  executor: Executor = db(),
): boolean {
  const result = executor
    .update(webauthnChallenges)
    .set({ consumedAt: now })
    .where(
      and(
        eq(webauthnChallenges.challenge, challenge.challenge),
        eq(webauthnChallenges.userId, challenge.userId),
        eq(webauthnChallenges.purpose, challenge.purpose),
        challenge.signInChallengeHash === null
          ? isNull(webauthnChallenges.signInChallengeHash)
          : eq(webauthnChallenges.signInChallengeHash, challenge.signInChallengeHash),
        isNull(webauthnChallenges.consumedAt),
        gt(webauthnChallenges.expiresAt, now),
      ),
    )
    .run();
  return result.changes === 1;
}

/** A signature counter must grow (both 0 is allowed: many authenticators do not count). */
export function advanceKeyCounter(keyId: number, newCounter: number, now: number, executor: Executor = db()): boolean {
  const result = executor
    .update(securityKeys)
    .set({ counter: newCounter, lastUsedAt: now })
    .where(
      and(
        eq(securityKeys.id, keyId),
        or(sql`${securityKeys.counter} < ${newCounter}`, and(eq(securityKeys.counter, 0), sql`${newCounter} = 0`)),
      ),
    )
    .run();
  return result.changes === 1;
}
