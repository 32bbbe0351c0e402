import "server-only";
import { deriveKey, decryptSecret, encryptSecret } from "@/lib/crypto";
import { hashBackupCode, normalizeBackupCode } from "@/lib/backup-codes";
import { env } from "@/lib/env";

let keys: { totp: Buffer; backupPepper: Buffer } | undefined;

function derivedKeys() {
  if (!keys) {
    const master = Buffer.from(env().ENCRYPTION_KEY, "base64");
    keys = { totp: deriveKey(master, "totp-secret-v1"), backupPepper: deriveKey(master, "backup-code-pepper-v1") };
  }
  return keys;
}

// The user id is the associated data: a ciphertext copied onto another account does not decrypt.
export function sealTotpSecret(userId: number, secret: string): string {
  return encryptSecret(secret, derivedKeys().totp, `totp:user:${userId}`);
}

export function openTotpSecret(userId: number, sealed: string): string {
  return decryptSecret(sealed, derivedKeys().totp, `totp:user:${userId}`);
}

/** One HMAC per check, whatever the number of codes: the database is searched by this hash. */
export function backupCodeHash(normalizedCode: string): string {
  return hashBackupCode(normalizedCode, derivedKeys().backupPepper);
}

/** The hashes to store for a freshly generated set (the codes themselves are shown once, never stored). */
export function backupCodeHashes(codes: string[]): string[] {
  return codes.map((code) => {
    const normalized = normalizeBackupCode(code);
    if (!normalized) throw new Error("generated backup code is not in canonical form");
    return backupCodeHash(normalized);
  });
}
