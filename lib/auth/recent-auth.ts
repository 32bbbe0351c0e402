import type { CurrentUser } from "./session";

/** Sensitive changes need a sign-in (or a password re-entry) from the last ten minutes. */
export const RECENT_AUTH_WINDOW_MS = 10 * 60 * 1000;

export function isRecentlyAuthenticated(user: CurrentUser, now = Date.now()): boolean {
  return now - user.authTime <= RECENT_AUTH_WINDOW_MS;
}
