import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  BACKUP_CODE_ALPHABET,
  BACKUP_CODE_COUNT,
  BACKUP_CODE_LENGTH,
  formatBackupCode,
  generateBackupCodes,
  hashBackupCode,
  normalizeBackupCode,
} from './backup-codes';

const FORMAT = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;
const pepper = randomBytes(32);

describe('generateBackupCodes', () => {
  it('makes ten unique codes in the xxxxx-xxxxx format by default', () => {
    const codes = generateBackupCodes();
    expect(codes).toHaveLength(BACKUP_CODE_COUNT);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(FORMAT);
  });

  it('stays unique over many codes', () => {
    const codes = generateBackupCodes(2000);
    expect(new Set(codes).size).toBe(2000);
  });

  it('uses every alphabet character and nothing else', () => {
    const seen = new Set(generateBackupCodes(500).join('').replace(/-/g, ''));
    expect([...seen].sort().join('')).toBe(BACKUP_CODE_ALPHABET);
  });

  it('rejects a bad count', () => {
    expect(() => generateBackupCodes(0)).toThrow(RangeError);
    expect(() => generateBackupCodes(1.5)).toThrow(RangeError);
  });
});

describe('entropy', () => {
  it('is 32 symbols x 10 characters = 50 bits per code', () => {
    expect(new Set(BACKUP_CODE_ALPHABET).size).toBe(32);
    expect(BACKUP_CODE_ALPHABET).not.toMatch(/[ilou]/);
    expect(BACKUP_CODE_LENGTH * Math.log2(BACKUP_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50);
  });
});

describe('normalizeBackupCode', () => {
  it('round-trips every generated code', () => {
    for (const code of generateBackupCodes()) {
      const normalized = normalizeBackupCode(code);
      expect(normalized).toBe(code.replace('-', ''));
      expect(formatBackupCode(normalized!)).toBe(code);
    }
  });

  it.each([
    ['upper case', 'ABCDE-FGHJK', 'abcdefghjk'],
    ['no dash', 'abcdefghjk', 'abcdefghjk'],
    ['spaces', ' abcde fghjk ', 'abcdefghjk'],
    ['unicode dashes', 'abcde\u2013fghjk', 'abcdefghjk'],
    ['minus sign', 'abcde\u2212fghjk', 'abcdefghjk'],
    ['several dashes', 'ab-cd-ef-gh-jk', 'abcdefghjk'],
    ['look-alike o', 'OOOOO-00000', '0000000000'],
    ['look-alikes i and l', 'iIlL1-23456', '1111123456'],
    ['full-width characters', 'ＡＢＣＤＥ－ＦＧＨＪＫ', 'abcdefghjk'],
  ])('accepts %s', (_label, input, expected) => {
    expect(normalizeBackupCode(input)).toBe(expected);
  });

  it.each([
    ['too short', 'abcde-fghj'],
    ['too long', 'abcde-fghjkm'],
    ['excluded letter u', 'abcde-fghju'],
    ['punctuation', 'abcde_fghjk'],
    ['empty', ''],
    ['huge input', 'a'.repeat(10_000)],
  ])('rejects %s', (_label, input) => {
    expect(normalizeBackupCode(input)).toBeNull();
  });

  it.each([
    ['a number', 1234567890],
    ['null', null],
    ['undefined', undefined],
    ['an array', ['abcde-fghjk']],
    ['an object', { code: 'abcde-fghjk' }],
  ])('rejects %s', (_label, input) => {
    expect(normalizeBackupCode(input)).toBeNull();
  });
});

describe('hashBackupCode', () => {
  const code = 'abcdefghjk';

  it('is a deterministic 64-char hex HMAC per pepper', () => {
    expect(hashBackupCode(code, pepper)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashBackupCode(code, pepper)).toBe(hashBackupCode(code, Buffer.from(pepper)));
  });

  it('differs across peppers and across codes', () => {
    expect(hashBackupCode(code, pepper)).not.toBe(hashBackupCode(code, randomBytes(32)));
    expect(hashBackupCode(code, pepper)).not.toBe(hashBackupCode('abcdefghjm', pepper));
  });

  it('never contains the code', () => {
    for (const generated of generateBackupCodes(50)) {
      const normalized = normalizeBackupCode(generated)!;
      const hash = hashBackupCode(normalized, pepper);
      expect(hash).not.toContain(normalized);
      expect(hash).not.toContain(generated);
    }
  });

  it('refuses non-normalized input and short peppers', () => {
    expect(() => hashBackupCode('ABCDE-FGHJK', pepper)).toThrow();
    expect(() => hashBackupCode(code, Buffer.alloc(8))).toThrow(RangeError);
  });
});
