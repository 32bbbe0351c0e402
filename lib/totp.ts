import { randomBytes, timingSafeEqual } from 'node:crypto';
import speakeasy from 'speakeasy';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_SECRET = /^[A-Z2-7]+$/;
const STEP_MS = 30_000;
// speakeasy packs the counter with `>>`, which is only correct below 2^31 (year ~4010 for TOTP).
const MAX_COUNTER = 0x7fff_ffff;

export type OtpauthUriInput = {
  issuer: string;
  accountName: string;
  secret: string;
};

export type VerifyTotpOptions = {
  atMs?: number;
  window?: number;
  digits?: number;
};

export function base32Encode(buf: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET.charAt((value << (5 - bits)) & 31);
  return out;
}

export function generateTotpSecret(): string {
  // 20 bytes -> 32 base32 chars, no padding: what every authenticator app accepts
  return base32Encode(randomBytes(20));
}

export function buildOtpauthUri({ issuer, accountName, secret }: OtpauthUriInput): string {
  if (issuer === '' || accountName === '') throw new Error('buildOtpauthUri: issuer and accountName are required');
  assertBase32Secret(secret);
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = `secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
  return `otpauth://totp/${label}?${query}`;
}

export function formatSetupKey(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

export function totpTimeStep(atMs: number): number {
  if (!Number.isFinite(atMs)) throw new RangeError('totpTimeStep: atMs must be a finite number');
  return Math.floor(atMs / STEP_MS);
}

export function generateHotp(secretBase32: string, counter: number, digits = 6): string {
  assertBase32Secret(secretBase32);
  assertDigits(digits);
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new RangeError(`generateHotp: counter must be an integer in [0, ${MAX_COUNTER}]`);
  }
  return speakeasy.hotp({ secret: secretBase32, encoding: 'base32', algorithm: 'sha1', counter, digits });
}

export function generateTotp(secretBase32: string, atMs: number, digits = 6): string {
  return generateHotp(secretBase32, totpTimeStep(atMs), digits);
}

export function normalizeTotpInput(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  return input.replace(/ /g, '');
}

/** Returns the matched time step, or null. Callers store the step to refuse replays. */
export function verifyTotp(secretBase32: string, code: unknown, options: VerifyTotpOptions = {}): number | null {
  const { atMs = Date.now(), window = 1, digits = 6 } = options;
  assertDigits(digits);
  if (!Number.isInteger(window) || window < 0) throw new RangeError('verifyTotp: window must be a non-negative integer');
  if (typeof code !== 'string' || !new RegExp(`^\\d{${digits}}$`).test(code)) return null;

  const given = Buffer.from(code, 'ascii');
  const current = totpTimeStep(atMs);
  let matched: number | null = null;
  // Every candidate is computed and compared (no early exit); on a collision the latest step wins,
  // so the stored step blocks the same code from being replayed later in the window.
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0 || step > MAX_COUNTER) continue;
    const expected = Buffer.from(generateHotp(secretBase32, step, digits), 'ascii');
    if (timingSafeEqual(expected, given)) matched = step;
  }
  return matched;
}

function assertBase32Secret(secret: string): void {
  if (!BASE32_SECRET.test(secret)) throw new Error('TOTP secret must be unpadded RFC 4648 base32');
}

function assertDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new RangeError('digits must be 6, 7 or 8');
}
