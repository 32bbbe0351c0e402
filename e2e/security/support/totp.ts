// The attacker's own TOTP (RFC 6238, SHA-1, 30 s, 6 digits): nothing imported from the app.
import crypto from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const STEP_MS = 30_000;

export function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let value = 0;
  let bits = 0;
  for (const char of text.toUpperCase().replace(/=+$/, "")) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
}

export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac("sha1", key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fff_ffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

export const stepAt = (ms = Date.now()) => Math.floor(ms / STEP_MS);

export function totpForStep(secretBase32: string, step: number): string {
  return hotp(base32Decode(secretBase32), step);
}

/** A well-formed code that matches no step within ±`radius` of now: counted as wrong, never "stale". */
export function wrongCode(secretBase32: string, radius = 12, salt = 0): string {
  const now = stepAt();
  const near = new Set<string>();
  for (let step = now - radius; step <= now + radius; step++) near.add(totpForStep(secretBase32, step));
  let candidate = (Number(totpForStep(secretBase32, now)) + 137_911 + salt * 7919) % 1_000_000;
  while (near.has(String(candidate).padStart(6, "0"))) candidate = (candidate + 1) % 1_000_000;
  return String(candidate).padStart(6, "0");
}
