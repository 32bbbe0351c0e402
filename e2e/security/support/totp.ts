// The attacker's own TOTP (RFC 6238, SHA-1, 30 s, 6 digits): nothing imported from the app.
import crypto from "node:crypto";
import { base32Decode } from "../../base32";

export { base32Decode };

export const STEP_MS = 30_000;

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
