import { createHmac, randomBytes } from 'node:crypto';

// Crockford base32, lowercase: no i, l, o, u, so nothing reads as something else.
export const BACKUP_CODE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const BACKUP_CODE_LENGTH = 10;
export const BACKUP_CODE_COUNT = 10;

const CANONICAL = /^[0-9a-hjkmnp-tv-z]{10}$/;
const DASHES = /[-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const LOOK_ALIKES: Record<string, string> = { o: '0', i: '1', l: '1' };
const MAX_INPUT_LENGTH = 64;
const MIN_PEPPER_BYTES = 32;

export function generateBackupCodes(count = BACKUP_CODE_COUNT): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('generateBackupCodes: count must be a positive integer');
  const codes = new Set<string>();
  while (codes.size < count) codes.add(formatBackupCode(randomCanonicalCode()));
  return [...codes];
}

export function normalizeBackupCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const code = input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s/g, '')
    .replace(DASHES, '')
    .replace(/[oil]/g, (c) => LOOK_ALIKES[c] ?? c);
  return CANONICAL.test(code) ? code : null;
}

export function formatBackupCode(normalizedCode: string): string {
  assertCanonical(normalizedCode);
  return `${normalizedCode.slice(0, 5)}-${normalizedCode.slice(5)}`;
}

/** Keyed hash stored in the DB; look codes up by this value. */
export function hashBackupCode(normalizedCode: string, pepper: Buffer): string {
  assertCanonical(normalizedCode);
  if (pepper.length < MIN_PEPPER_BYTES) throw new RangeError(`hashBackupCode: pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  return createHmac('sha256', pepper).update(normalizedCode, 'utf8').digest('hex');
}

function randomCanonicalCode(): string {
  let code = '';
  // 256 is a multiple of 32, so `& 31` keeps every character equally likely.
  for (const byte of randomBytes(BACKUP_CODE_LENGTH)) code += BACKUP_CODE_ALPHABET.charAt(byte & 31);
  return code;
}

function assertCanonical(code: string): void {
  if (!CANONICAL.test(code)) throw new Error('backup code must be in normalized form (10 lowercase Crockford characters)');
}
