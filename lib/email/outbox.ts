import "server-only";
import { claimDueEmails, markEmailFailed, markEmailSent } from "@/db/outbox-queries";
import { sendMail } from "./transport";

const LEASE_MS = 60_000;
const WORKER_INTERVAL_MS = 30_000;

/** 30 s, 1 min, 2 min… up to an hour between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** attempts, 60 * 60_000);
}

/** Sends what is due. A failure never reaches the action that queued the message: it is retried later. */
export async function deliverPendingEmails(now = Date.now()): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  // One at a time: a claimed email's lease runs while it is sent, never while others are.
  for (let [email] = claimDueEmails(now, LEASE_MS, 1); email; [email] = claimDueEmails(now, LEASE_MS, 1)) {
    try {
      await sendMail({ to: email.recipient, subject: email.subject, text: email.body });
      markEmailSent(email.id, Date.now());
      sent++;
    } catch (error) {
      markEmailFailed(email.id, error instanceof Error ? error.message : String(error), Date.now() + retryDelayMs(email.attempts));
      failed++;
    }
  }
  return { sent, failed };
}

let scheduled = false;

/** After the current (synchronous) transaction has committed, try to send what was queued. */
export function scheduleEmailDelivery(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    deliverPendingEmails().catch((error: unknown) => console.error("[email] delivery failed:", error));
  });
}

let worker: NodeJS.Timeout | undefined;

/** Retries failed messages (and any left by a crash) in the background of the server process. */
export function startEmailWorker(): void {
  worker ??= setInterval(() => scheduleEmailDelivery(), WORKER_INTERVAL_MS).unref();
  scheduleEmailDelivery();
}
