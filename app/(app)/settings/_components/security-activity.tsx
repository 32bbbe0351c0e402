import Link from "next/link";
import type { SecurityEvent } from "@/db/activity-queries";
import { describeSecurityEvent, describeUserAgent } from "@/lib/security-event-labels";

const formatTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

type SecurityActivityProps = {
  events: SecurityEvent[];
  /** The next page's address, when there are older events. */
  olderHref: string | null;
  /** True when this is not the newest page. */
  paged: boolean;
};

const linkClass = "text-indigo-700 underline";

export function SecurityActivity({ events, olderHref, paged }: SecurityActivityProps) {
  return (
    <section aria-labelledby="activity-heading" className="flex flex-col gap-3">
      <h2 id="activity-heading" className="text-xl font-semibold">
        Recent security activity
      </h2>
      {events.length === 0 ? (
        <p className="text-sm">Nothing yet.</p>
      ) : (
        <ol aria-label="Recent security activity" className="divide-y divide-slate-200">
          {events.map((event) => (
            <li key={event.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:justify-between">
              <span>{describeSecurityEvent(event.kind, event.detail)}</span>
              <span className="text-sm text-slate-700">
                <time dateTime={new Date(event.createdAt).toISOString()}>{formatTime(event.createdAt)}</time>
                {" · "}
                {describeUserAgent(event.userAgent)}
                {event.ip ? ` · ${event.ip}` : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
      {olderHref || paged ? (
        <nav aria-label="Security activity pages" className="flex gap-4 text-sm">
          {paged ? (
            <Link href="/settings#activity-heading" className={linkClass}>
              Back to the newest
            </Link>
          ) : null}
          {olderHref ? (
            <Link href={olderHref} className={linkClass}>
              Show older activity
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
