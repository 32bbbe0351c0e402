import "server-only";
import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { db } from "./index";
import { emailOutbox } from "./schema";
import { immediateTransaction, type Executor } from "./transaction";

export type OutgoingEmail = { id: number; recipient: string; subject: string; body: string; attempts: number };

export function enqueueEmail(email: { recipient: string; subject: string; body: string }, now: number, executor: Executor = db()) {
  executor.insert(emailOutbox).values({ ...email, createdAt: now, nextAttemptAt: now }).run();
}

/**
 * Claims due emails by pushing their next attempt out by a lease: another process running the
 * same worker skips them, and a crash mid-send only delays them until the lease ends.
 */
export function claimDueEmails(now: number, leaseMs: number, limit = 20): OutgoingEmail[] {
  return immediateTransaction(
    (tx) => {
      const due = tx
        .select({
          id: emailOutbox.id,
          recipient: emailOutbox.recipient,
          subject: emailOutbox.subject,
          body: emailOutbox.body,
          attempts: emailOutbox.attempts,
        })
        .from(emailOutbox)
        .where(and(isNull(emailOutbox.sentAt), lte(emailOutbox.nextAttemptAt, now)))
        .orderBy(asc(emailOutbox.nextAttemptAt))
        .limit(limit)
        .all();
      for (const email of due) {
        tx.update(emailOutbox).set({ nextAttemptAt: now + leaseMs }).where(eq(emailOutbox.id, email.id)).run();
      }
      return due;
    },
  );
}

export function markEmailSent(id: number, now: number): void {
  db().update(emailOutbox).set({ sentAt: now, lastError: null }).where(eq(emailOutbox.id, id)).run();
}

export function markEmailFailed(id: number, error: string, retryAt: number): void {
  db()
    .update(emailOutbox)
    .set({ attempts: sql`${emailOutbox.attempts} + 1`, nextAttemptAt: retryAt, lastError: error.slice(0, 500) })
    .where(eq(emailOutbox.id, id))
    .run();
}

export function countUnsentEmails(): number {
  return db().select({ n: sql<number>`count(*)` }).from(emailOutbox).where(isNull(emailOutbox.sentAt)).get()?.n ?? 0;
}
