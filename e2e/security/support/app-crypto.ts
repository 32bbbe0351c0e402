// What someone holding ENCRYPTION_KEY can compute: backup-code hashes and TOTP secrets at rest,
// so the crash test can match the database against what the client was told (HKDF-SHA256 keys,
// HMAC-SHA256 code hashes, AES-256-GCM "v1.iv.tag.ciphertext" secrets, as the app stores them).
import crypto from "node:crypto";

function derive(encryptionKey: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", Buffer.from(encryptionKey, "base64"), Buffer.alloc(0), purpose, 32));
}

export function normalizeBackupCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

export function backupCodeHash(encryptionKey: string, code: string): string {
  return crypto.createHmac("sha256", derive(encryptionKey, "backup-code-pepper-v1")).update(normalizeBackupCode(code), "utf8").digest("hex");
}

/** The TOTP secret stored for `userId`, or null if it does not decrypt (corrupt, or another user's). */
export function openTotpSecret(encryptionKey: string, userId: number, sealed: string): string | null {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || ciphertext === undefined) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", derive(encryptionKey, "totp-secret-v1"), Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(`totp:user:${userId}`, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
