import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  if (masterKey.length < KEY_BYTES) throw new RangeError(`deriveKey: master key must be at least ${KEY_BYTES} bytes`);
  if (purpose === '') throw new Error('deriveKey: purpose is required');
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), purpose, KEY_BYTES));
}

/** AES-256-GCM; associatedData binds the ciphertext to its row (e.g. `user:42`). */
export function encryptSecret(plaintext: string, key: Buffer, associatedData: string): string {
  assertKeyAndAad(key, associatedData);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptSecret(token: string, key: Buffer, associatedData: string): string {
  assertKeyAndAad(key, associatedData);
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretDecryptionError('decryptSecret: malformed token');
  const [iv, tag, ciphertext] = parts.slice(1).map(decodeBase64url);
  if (!iv || !tag || !ciphertext || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretDecryptionError('decryptSecret: malformed token');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError('decryptSecret: authentication failed (wrong key, wrong associated data or tampered token)');
  }
}

// Node's base64url decoder skips junk and ignores trailing bits; insist on the one canonical spelling.
function decodeBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

function assertKeyAndAad(key: Buffer, associatedData: string): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`key must be ${KEY_BYTES} bytes`);
  if (associatedData === '') throw new Error('associatedData is required');
}
