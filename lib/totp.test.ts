import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base32Encode,
  buildOtpauthUri,
  formatSetupKey,
  generateHotp,
  generateTotp,
  generateTotpSecret,
  normalizeTotpInput,
  totpTimeStep,
  verifyTotp,
} from './totp';

type Rfc6238 = { seeds: { SHA1: string }; vectors: { time: number; T: string; SHA1: string }[] };
type Rfc4226 = { secret: string; codes_by_counter: string[] };

const vectorsDir = path.join(process.cwd(), '..', 'shared', 'vectors');
const rfc6238 = JSON.parse(readFileSync(path.join(vectorsDir, 'rfc6238.json'), 'utf8')) as Rfc6238;
const rfc4226 = JSON.parse(readFileSync(path.join(vectorsDir, 'rfc4226.json'), 'utf8')) as Rfc4226;

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const NOW = 1_700_000_000_000;

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    bits += index.toString(2).padStart(5, '0');
  }
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((b) => parseInt(b, 2)));
}

// RFC 4226 section 5.3, written independently of the module under test.
function referenceHotp(key: Buffer, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hmac = createHmac('sha1', key).update(message).digest();
  const offset = hmac[hmac.length - 1]! & 0x0f;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

describe('RFC 6238 SHA-1 vectors (8 digits)', () => {
  const secret = base32Encode(Buffer.from(rfc6238.seeds.SHA1, 'ascii'));

  it.each(rfc6238.vectors)('time $time -> $SHA1', ({ time, T, SHA1 }) => {
    const atMs = time * 1000;
    const step = parseInt(T, 16);
    expect(totpTimeStep(atMs)).toBe(step);
    expect(generateTotp(secret, atMs, 8)).toBe(SHA1);
    expect(verifyTotp(secret, SHA1, { atMs, digits: 8 })).toBe(step);
  });
});

describe('RFC 4226 HOTP vectors', () => {
  const secret = base32Encode(Buffer.from(rfc4226.secret, 'ascii'));

  it.each(rfc4226.codes_by_counter.map((code, counter) => ({ code, counter })))(
    'counter $counter -> $code',
    ({ code, counter }) => {
      expect(generateHotp(secret, counter)).toBe(code);
      expect(verifyTotp(secret, code, { atMs: counter * 30_000, window: 0 })).toBe(counter);
    },
  );
});

describe('verifyTotp', () => {
  const step = totpTimeStep(NOW);
  const codeAt = (offset: number) => generateTotp(SECRET, NOW + offset * 30_000);

  it('accepts the current step and drift of one step either way', () => {
    expect(verifyTotp(SECRET, codeAt(0), { atMs: NOW })).toBe(step);
    expect(verifyTotp(SECRET, codeAt(-1), { atMs: NOW })).toBe(step - 1);
    expect(verifyTotp(SECRET, codeAt(1), { atMs: NOW })).toBe(step + 1);
  });

  it('refuses drift of two steps', () => {
    expect(verifyTotp(SECRET, codeAt(-2), { atMs: NOW })).toBeNull();
    expect(verifyTotp(SECRET, codeAt(2), { atMs: NOW })).toBeNull();
  });

  it('honours window 0', () => {
    expect(verifyTotp(SECRET, codeAt(0), { atMs: NOW, window: 0 })).toBe(step);
    expect(verifyTotp(SECRET, codeAt(1), { atMs: NOW, window: 0 })).toBeNull();
  });

  it('accepts a code computed independently with node:crypto', () => {
    const code = referenceHotp(base32Decode(SECRET), step, 6);
    expect(verifyTotp(SECRET, code, { atMs: NOW })).toBe(step);
  });

  it('refuses a wrong code', () => {
    const wrong = String((Number(codeAt(0)) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyTotp(SECRET, wrong, { atMs: NOW, window: 0 })).toBeNull();
  });

  it.each([
    ['letters', `${codeAt(0).slice(0, 5)}x`],
    ['leading space', ` ${codeAt(0)}`],
    ['trailing space', `${codeAt(0)} `],
    ['inner space', `${codeAt(0).slice(0, 3)} ${codeAt(0).slice(3)}`],
    ['7 digits', `${codeAt(0)}0`],
    ['5 digits', codeAt(0).slice(0, 5)],
    ['empty', ''],
    ['non-ASCII digits', '١٢٣٤٥٦'],
    ['a number', Number(codeAt(0))],
    ['an array', [codeAt(0)]],
    ['null', null],
    ['undefined', undefined],
  ])('refuses %s', (_label, input) => {
    expect(verifyTotp(SECRET, input, { atMs: NOW })).toBeNull();
  });

  it('skips negative steps at the epoch', () => {
    expect(verifyTotp(SECRET, generateTotp(SECRET, 0), { atMs: 0 })).toBe(0);
  });

  it('rejects a non-integer window instead of guessing', () => {
    expect(() => verifyTotp(SECRET, codeAt(0), { atMs: NOW, window: '1' as unknown as number })).toThrow(RangeError);
    expect(() => verifyTotp(SECRET, codeAt(0), { atMs: NOW, window: -1 })).toThrow(RangeError);
  });
});

describe('normalizeTotpInput', () => {
  it('strips ASCII spaces so "123 456" verifies', () => {
    const code = generateTotp(SECRET, NOW);
    const typed = ` ${code.slice(0, 3)} ${code.slice(3)} `;
    expect(normalizeTotpInput(typed)).toBe(code);
    expect(verifyTotp(SECRET, normalizeTotpInput(typed), { atMs: NOW })).toBe(totpTimeStep(NOW));
  });

  it('returns null for non-strings', () => {
    expect(normalizeTotpInput(123456)).toBeNull();
    expect(normalizeTotpInput(undefined)).toBeNull();
  });
});

describe('secrets', () => {
  it('are 32 unpadded base32 chars that decode to 20 bytes', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
  });

  it('differ each time', () => {
    expect(new Set(Array.from({ length: 50 }, generateTotpSecret)).size).toBe(50);
  });

  it('base32Encode matches RFC 4648 test vectors without padding', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [input, expected] of cases) expect(base32Encode(Buffer.from(input))).toBe(expected);
  });

  it('base32Encode round-trips arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(base32Decode(base32Encode(Buffer.from(bytes)))).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('buildOtpauthUri', () => {
  it('encodes issuer and account per the Key Uri Format', () => {
    const uri = buildOtpauthUri({ issuer: 'Acme & Co', accountName: 'a+b@example.com', secret: SECRET });
    expect(uri).toBe(
      'otpauth://totp/Acme%20%26%20Co:a%2Bb%40example.com' +
        `?secret=${SECRET}&issuer=Acme%20%26%20Co&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it('encodes a colon inside a label part', () => {
    const uri = buildOtpauthUri({ issuer: 'A:B', accountName: 'x', secret: SECRET });
    expect(uri.startsWith('otpauth://totp/A%3AB:x?')).toBe(true);
  });
});

describe('formatSetupKey', () => {
  it('groups by four', () => {
    expect(formatSetupKey('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')).toBe('ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567');
    expect(formatSetupKey('ABCDEF')).toBe('ABCD EF');
  });
});
