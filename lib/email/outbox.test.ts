import { describe, expect, it } from "vitest";
import { db } from "@/db/index";
import { countUnsentEmails, enqueueEmail } from "@/db/outbox-queries";
import { deliverPendingEmails, retryDelayMs } from "./outbox";

// An SMTP server that is not there (a closed loopback port): every send fails.
process.env.SMTP_URL = "smtp://127.0.0.1:9";

function outboxRow(subject: string) {
  return db().$client.prepare("SELECT attempts, next_attempt_at, last_error, sent_at FROM email_outbox WHERE subject = ?").get(subject) as {
    attempts: number;
    next_attempt_at: number;
    last_error: string | null;
    sent_at: number | null;
  };
}

describe("the email outbox", () => {
  it("keeps a message that could not be sent and retries it later, with growing delays", async () => {
    const now = Date.now();
    enqueueEmail({ recipient: "ann@example.com", subject: "Retry me", body: "Hello" }, now);
    expect(await deliverPendingEmails(now)).toEqual({ sent: 0, failed: 1 });
    const first = outboxRow("Retry me");
    expect(first.sent_at).toBeNull();
    expect(first.attempts).toBe(1);
    expect(first.last_error).toBeTruthy();
    expect(first.next_attempt_at).toBeGreaterThanOrEqual(now + retryDelayMs(0));

    expect(await deliverPendingEmails(now + 1000)).toEqual({ sent: 0, failed: 0 });
    expect(await deliverPendingEmails(first.next_attempt_at + 1)).toEqual({ sent: 0, failed: 1 });
    expect(outboxRow("Retry me").attempts).toBe(2);
    expect(countUnsentEmails()).toBe(1);
  });

  it("waits longer after each failure, up to an hour", () => {
    expect(retryDelayMs(0)).toBe(30_000);
    expect(retryDelayMs(1)).toBe(60_000);
    expect(retryDelayMs(20)).toBe(60 * 60_000);
  });
});
