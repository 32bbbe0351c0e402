// Plain HTTP against the bench server (127.0.0.1 only): the two sign-in steps as a browser does them.

/** name=value pairs from a response's Set-Cookie headers. */
export function setCookies(response) {
  const cookies = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    cookies[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return cookies;
}

export const cookieHeader = (cookies) =>
  Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");

export function passwordStepRequest(server, email, password) {
  return {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.origin },
    body: JSON.stringify({ email, password }),
  };
}

/** Step 1: POST /api/sign-in. Returns the status, the body and the sign-in challenge cookie. */
export async function passwordStep(server, email, password) {
  const response = await fetch(`${server.base}/api/sign-in`, {
    ...passwordStepRequest(server, email, password),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body, challenge: setCookies(response)["sign-in-challenge"] };
}

/** NextAuth's CSRF token and its cookie (one pair serves every credentials callback). */
export async function csrf(server) {
  const response = await fetch(`${server.base}/api/auth/csrf`, { signal: AbortSignal.timeout(10_000) });
  const { csrfToken } = await response.json();
  return { token: csrfToken, cookies: setCookies(response) };
}

export function secondStepBody(csrfToken, fields) {
  return new URLSearchParams({ ...fields, csrfToken, callbackUrl: "/", json: "true" }).toString();
}

/** Did NextAuth issue a session? (json=true: 200 with a url that carries ?error= when it did not) */
export function signedIn(status, body, sessionCookieSet) {
  if (status !== 200 || !sessionCookieSet) return false;
  try {
    return !new URL(JSON.parse(body).url).searchParams.has("error");
  } catch {
    return false;
  }
}

/** Step 2: POST /api/auth/callback/credentials with the challenge. Returns the session cookie or null. */
export async function secondStep(server, csrfPair, challenge, fields = {}) {
  const response = await fetch(`${server.base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.origin,
      cookie: cookieHeader({ ...csrfPair.cookies, "sign-in-challenge": challenge }),
    },
    body: secondStepBody(csrfPair.token, fields),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  const session = setCookies(response)["next-auth.session-token"];
  return signedIn(response.status, body, Boolean(session)) ? session : null;
}
