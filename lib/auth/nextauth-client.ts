// NextAuth's two browser calls, without next-auth/react: that module would ship its
// SessionProvider (about 9 kB gzip) to every page that signs in or out.

async function csrfToken(): Promise<string> {
  const response = await fetch("/api/auth/csrf", { cache: "no-store" });
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

async function postToNextAuth(path: string, fields: Record<string, string>): Promise<string | null> {
  const response = await fetch(`/api/auth/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken: await csrfToken(), callbackUrl: window.location.href, json: "true" }),
  });
  // A refused sign-in answers 401 with the reason in the returned URL's "error" parameter.
  const { url } = (await response.json().catch(() => ({}))) as { url?: string };
  const error = url ? new URL(url, window.location.origin).searchParams.get("error") : null;
  return error ?? (response.ok && url ? null : "CredentialsSignin");
}

/** The credentials provider's callback; resolves to NextAuth's error string, or null when a session was issued. */
export function postCredentials(fields: Record<string, string>): Promise<string | null> {
  return postToNextAuth("callback/credentials", fields);
}

export async function signOut(destination: string): Promise<void> {
  await postToNextAuth("signout", {});
  window.location.assign(destination);
}
