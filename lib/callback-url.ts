// A base no request can have: a path that resolves against it to another origin is not ours.
const BASE = "http://callback.invalid";

/**
 * Only same-site paths: never an open redirect to another origin. The path is resolved as a browser
 * would (which drops tabs and newlines and reads `\` as `/`), and what is returned is that resolved
 * path, so the check and the navigation cannot disagree.
 */
export function safeCallbackUrl(raw: string | null | undefined, fallback = "/"): string {
  if (!raw || !raw.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith("/login") || path.startsWith("/signup") || path.startsWith("/api/")) return fallback;
  return path;
}
