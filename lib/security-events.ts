import "server-only";
import { headers } from "next/headers";
import { clientIp } from "@/lib/auth/client-ip";
import { insertSecurityEvent } from "@/db/activity-queries";
import { enqueueEmail } from "@/db/outbox-queries";
import { getAccount } from "@/db/queries";
import type { SecurityEventKind } from "@/db/schema";
import type { Executor } from "@/db/transaction";
import { notificationFor } from "@/lib/email/messages";
import { scheduleEmailDelivery } from "@/lib/email/outbox";
import { env } from "@/lib/env";

export type RequestContext = { ip: string | null; userAgent: string | null };
export const NO_REQUEST_CONTEXT: RequestContext = { ip: null, userAgent: null };

/** Where the request came from (see lib/auth/client-ip.ts for which address is trusted). */
export async function requestContext(): Promise<RequestContext> {
  const userAgent = (await headers()).get("user-agent")?.slice(0, 256) ?? null;
  return { ip: await clientIp(), userAgent };
}

/**
 * Records a security event and, for the kinds that notify, queues the email in the same
 * executor (pass the transaction of the change: both commit with it, or neither does).
 */
export function recordSecurityEvent(
  userId: number,
  kind: SecurityEventKind,
  detail: Record<string, string | number> | null,
  context: RequestContext,
  executor?: Executor,
  now = Date.now(),
): void {
  insertSecurityEvent({ userId, kind, detail, ...context }, now, executor);
  const message = notificationFor(kind, detail, env().APP_NAME);
  const recipient = message ? getAccount(userId)?.email : undefined;
  if (!message || !recipient) return;
  enqueueEmail({ recipient, subject: message.subject, body: message.body }, now, executor);
  scheduleEmailDelivery();
}
