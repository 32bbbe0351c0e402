"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { CONFIRM_IDENTITY } from "@/lib/action-result";

/**
 * For pages whose server-rendered step depends on the 10-minute window: when an action says the
 * window ran out while the page was open, refresh, and the server shows "confirm it's you".
 */
export function useRefreshToConfirmIdentity(...reasons: (string | null)[]) {
  const router = useRouter();
  const needed = reasons.includes(CONFIRM_IDENTITY);
  useEffect(() => {
    if (needed) router.refresh();
  }, [needed, router]);
}
