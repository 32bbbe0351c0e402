/** Only same-site paths: never an open redirect to another origin. */
export function safeCallbackUrl(raw: string | null | undefined, fallback = "/"): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  if (raw.startsWith("/login") || raw.startsWith("/signup") || raw.startsWith("/api/")) return fallback;
  return raw;
}
