// The yardstick for lib/totp.ts: RFC 6238 with nothing but node:crypto, doing the same work per
// call (decode the base32 secret, one HMAC-SHA1 per step of a ±1 window, constant-time compares).
import { createHmac, timingSafeEqual } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const STEP_MS = 30_000;

export function base32Decode(text) {
  const bytes = [];
  let value = 0;
  let bits = 0;
  for (const char of text) {
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

function hotp(key, counter) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

export const totpStep = (atMs) => Math.floor(atMs / STEP_MS);

export function referenceTotp(secretBase32, atMs) {
  return hotp(base32Decode(secretBase32), totpStep(atMs));
}

/** The matched step or null, like lib/totp.ts verifyTotp with its default window of 1. */
export function referenceVerify(secretBase32, code, atMs, window = 1) {
  if (typeof code !== "string" || !/^\d{6}$/.test(code)) return null;
  const key = base32Decode(secretBase32);
  const given = Buffer.from(code, "ascii");
  const current = totpStep(atMs);
  let matched = null;
  for (let step = current - window; step <= current + window; step++) {
    if (timingSafeEqual(Buffer.from(hotp(key, step), "ascii"), given)) matched = step;
  }
  return matched;
}
