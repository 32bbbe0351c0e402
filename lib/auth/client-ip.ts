import "server-only";
import { headers } from "next/headers";

/**
 * The rightmost X-Forwarded-For entry: the address seen by the nearest proxy (or, without a
 * proxy, the socket address Next.js fills in). Entries further left are client-supplied.
 */
export async function clientIp(): Promise<string> {
  const forwarded = (await headers()).get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last && last.length <= 64 ? last : "unknown";
}
