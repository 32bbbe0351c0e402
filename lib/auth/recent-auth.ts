import { CONFIRM_IDENTITY, failure, type ActionError } from "@/lib/action-result";
import type { CurrentUser } from "./session";

/** Sensitive changes need a sign-in (or a password re-entry) from the last ten minutes. */
export const RECENT_AUTH_WINDOW_MS = 10 * 60 * 1000;

export function isRecentlyAuthenticated(user: CurrentUser, now = Date.now()): boolean {
  return now - user.authTime <= RECENT_AUTH_WINDOW_MS;
}

/** For sensitive actions: null when the sign-in is recent, else the error that asks to confirm it's you. */
export function confirmItsYouFirst(user: CurrentUser, now = Date.now()): ActionError | null {
  return isRecentlyAuthenticated(user, now) ? null : failure("For your security, confirm it's you first.", undefined, CONFIRM_IDENTITY);
}
