import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, deriveKey, encryptSecret, SecretDecryptionError } from './crypto';

const master = randomBytes(32);
const key = deriveKey(master, 'totp-secret');
const aad = 'user:42';
const plaintext = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function flipChar(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('deriveKey', () => {
  it('is 32 bytes, deterministic, and separated by purpose', () => {
    expect(key).toHaveLength(32);
    expect(deriveKey(master, 'totp-secret')).toEqual(key);
    expect(deriveKey(master, 'backup-code-pepper')).not.toEqual(key);
  });

  it('refuses a short master key or an empty purpose', () => {
    expect(() => deriveKey(randomBytes(16), 'x')).toThrow(RangeError);
    expect(() => deriveKey(master, '')).toThrow();
  });
});

describe('encryptSecret / decryptSecret', () => {
  it('round-trips, including empty and non-ASCII text', () => {
    for (const text of [plaintext, '', 'héllo ✓']) {
      expect(decryptSecret(encryptSecret(text, key, aad), key, aad)).toBe(text);
    }
  });

  it('has the v1.iv.tag.ciphertext shape and hides the plaintext', () => {
    const token = encryptSecret(plaintext, key, aad);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain(plaintext);
    expect(Buffer.from(token.split('.')[3]!, 'base64url').toString('utf8')).not.toContain(plaintext);
  });

  it('uses a random IV', () => {
    const a = encryptSecret(plaintext, key, aad);
    const b = encryptSecret(plaintext, key, aad);
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('fails when any character of any part is changed', () => {
    const token = encryptSecret(plaintext, key, aad);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      expect(() => decryptSecret(flipChar(token, i), key, aad), `index ${i}`).toThrow(SecretDecryptionError);
    }
  });

  it('fails when only the unused trailing bits of a part change', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const [version, iv, tag, ciphertext] = encryptSecret(plaintext, key, aad).split('.');
    // 16-byte tag = 22 chars carrying 132 bits: the last char's low 4 bits are ignored by Node's decoder.
    const last = alphabet.indexOf(tag!.at(-1)!);
    const sameBytesTag = tag!.slice(0, -1) + alphabet.charAt(last ^ 1);
    expect(Buffer.from(sameBytesTag, 'base64url')).toEqual(Buffer.from(tag!, 'base64url'));
    expect(() => decryptSecret([version, iv, sameBytesTag, ciphertext].join('.'), key, aad)).toThrow(SecretDecryptionError);
  });

  it('fails when parts are truncated or swapped', () => {
    const [version, iv, tag, ciphertext] = encryptSecret(plaintext, key, aad).split('.');
    const other = encryptSecret(plaintext, key, aad).split('.');
    expect(() => decryptSecret([version, iv, tag, ciphertext!.slice(0, -2)].join('.'), key, aad)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret([version, other[1], tag, ciphertext].join('.'), key, aad)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret([version, iv, other[2], ciphertext].join('.'), key, aad)).toThrow(SecretDecryptionError);
  });

  it('fails with the wrong associated data (ciphertext moved to another row)', () => {
    const token = encryptSecret(plaintext, key, aad);
    expect(() => decryptSecret(token, key, 'user:43')).toThrow(/authentication failed/);
  });

  it('fails with the wrong key', () => {
    const token = encryptSecret(plaintext, key, aad);
    expect(() => decryptSecret(token, deriveKey(master, 'other'), aad)).toThrow(/authentication failed/);
    expect(() => decryptSecret(token, deriveKey(randomBytes(32), 'totp-secret'), aad)).toThrow(SecretDecryptionError);
  });

  it.each([
    ['empty', ''],
    ['plain text', plaintext],
    ['wrong version', 'v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA'],
    ['too few parts', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['too many parts', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA.AAAA'],
    ['short IV', 'v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA'],
    ['short tag', 'v1.AAAAAAAAAAAAAAAA.AAAA.AAAA'],
    ['non-base64url characters', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA+/'],
    ['padding', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA=='],
  ])('fails on a malformed token: %s', (_label, token) => {
    expect(() => decryptSecret(token, key, aad)).toThrow(SecretDecryptionError);
  });

  it('refuses a key of the wrong size and empty associated data', () => {
    expect(() => encryptSecret(plaintext, randomBytes(16), aad)).toThrow(RangeError);
    expect(() => encryptSecret(plaintext, key, '')).toThrow();
    expect(() => decryptSecret(encryptSecret(plaintext, key, aad), key, '')).toThrow();
  });
});
