import "server-only";
import { cancelEnrollment, recordEnrollmentFailure } from "@/db/two-factor-queries";
import { verifyTotp } from "@/lib/totp";
import { openTotpSecret } from "./secrets";

type CodeCheck = { ok: true; step: number } | { ok: false; message: string };

export const WRONG_CODE_MESSAGE = "That code didn't match. Codes change every 30 seconds — use the newest one.";

const MAX_PENDING_ATTEMPTS = 10;

/** How long a pending secret (setup, or a new app) waits for its first code. */
export const PENDING_SECRET_TTL_MS = 15 * 60 * 1000;

/**
 * A code for a pending secret (the wizard, or Change authenticator app). Wrong codes count;
 * after 10 the pending secret is thrown away and the user starts again.
 */
export function checkPendingSecretCode(userId: number, sealedSecret: string, code: string, now: number): CodeCheck & { cancelled?: true } {
  const check = checkNewAuthenticatorCode(openTotpSecret(userId, sealedSecret), code, now);
  if (check.ok || recordEnrollmentFailure(userId) < MAX_PENDING_ATTEMPTS) return check;
  cancelEnrollment(userId);
  return { ...check, cancelled: true };
}

/** Checks a well-formed code and, when it fails, says why in words a person can act on. */
function checkNewAuthenticatorCode(secret: string, code: string, now: number): CodeCheck {
  const step = verifyTotp(secret, code, { atMs: now });
  if (step !== null) return { ok: true, step };
  // Only to choose the message: a code from the last five minutes is stale, not wrong.
  const nearby = verifyTotp(secret, code, { atMs: now, window: 10 });
  if (nearby !== null && nearby < Math.floor(now / 30_000)) {
    return { ok: false, message: "That code has expired. Enter the newest code from your app." };
  }
  if (nearby !== null) {
    return { ok: false, message: "That code is from the future: check that your phone's clock is set automatically." };
  }
  return { ok: false, message: WRONG_CODE_MESSAGE };
}
