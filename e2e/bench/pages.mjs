// Page weight: the JavaScript each page makes the browser download (every <script src> chunk in
// its server-rendered HTML, gzipped one by one), against an empty page of the same build.
import zlib from "node:zlib";
import nextAuthJwt from "next-auth/jwt";
import { cookieHeader, csrf, passwordStep, secondStep } from "./http.mjs";

// Strings that exist only in those libraries' code (checked against their sources in node_modules).
// next-auth/react is CommonJS: importing signIn or signOut ships all of it, SessionProvider included.
const SESSION_PROVIDER = ["SessionProvider", "React Context is unavailable in Server Components"];
const QR_LIBRARY = ["Mask value out of range", "Data too long"]; // qrcode.react's encoder (qrcodegen)
const hasAll = (text, markers) => markers.every((marker) => text.includes(marker));

const chunkCache = new Map();

async function chunk(server, src) {
  const url = new URL(src, server.base);
  if (url.origin !== server.base) throw new Error(`script from another origin: ${src}`);
  if (!chunkCache.has(url.pathname)) {
    const response = await fetch(url, { headers: { "accept-encoding": "identity" }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`${url.pathname}: ${response.status}`);
    const text = await response.text();
    chunkCache.set(url.pathname, { text, raw: Buffer.byteLength(text), gzip: zlib.gzipSync(text).length });
  }
  return chunkCache.get(url.pathname);
}

/** Fetches a page (with a session cookie when given) and weighs its script chunks. */
export async function weighPage(server, path, { session, expect }) {
  const response = await fetch(`${server.base}${path}`, {
    redirect: "manual",
    headers: session ? { cookie: cookieHeader({ "next-auth.session-token": session }) } : {},
    signal: AbortSignal.timeout(15_000),
  });
  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g), ...html.matchAll(/<link\b[^>]*\bas="script"[^>]*\bhref="([^"]+)"/g)];
  const sources = [...new Set(scripts.map((m) => m[1].replaceAll("&amp;", "&")))];
  const chunks = await Promise.all(sources.map((src) => chunk(server, src)));
  const providerChunks = chunks.filter((c) => hasAll(c.text, SESSION_PROVIDER));
  return {
    path,
    status: response.status,
    // The page must be the state it claims to be, or its weight means nothing.
    matches: expect.test(html),
    chunks: chunks.length,
    gzip: chunks.reduce((sum, c) => sum + c.gzip, 0),
    raw: chunks.reduce((sum, c) => sum + c.raw, 0),
    htmlGzip: zlib.gzipSync(html).length,
    sessionProvider: providerChunks.length > 0,
    sessionProviderGzip: providerChunks.reduce((sum, c) => sum + c.gzip, 0),
    // Rendered directly, it would be a client reference by that name in the page's RSC payload.
    sessionProviderRendered: html.includes('\\"SessionProvider\\"'),
    qrLibrary: chunks.some((c) => hasAll(c.text, QR_LIBRARY)),
    serverQr: /<svg[^>]*aria-label="QR code for your authenticator app"/.test(html),
  };
}

/** A real sign-in of a user without two-factor: password step, then the callback with no code. */
export async function signIn(server, email, password) {
  const step = await passwordStep(server, email, password);
  if (step.status !== 200 || !step.challenge) throw new Error(`password step for ${email}: ${step.status}`);
  const session = await secondStep(server, await csrf(server), step.challenge);
  if (!session) throw new Error(`no session for ${email}`);
  return session;
}

/**
 * A session whose sign-in is older than the ten minutes the wizard trusts (so it asks for the
 * password again). Made with the server's own secret: waiting ten minutes is not an option here.
 */
export function staleSession(secret, userId, ageMs) {
  return nextAuthJwt.encode({ token: { sub: String(userId), sv: 1, authTime: Date.now() - ageMs }, secret });
}

export const WIZARD_PAGES = [
  { step: "confirm-password", label: "wizard: confirm password", expect: />Confirm your password</ },
  { step: "choose-app", label: "wizard 1: choose an app", expect: /Step <!-- -->1<!-- --> of 4|Step 1 of 4/ },
  { step: "scan", label: "wizard 2: scan the QR code", expect: /Step <!-- -->2<!-- --> of 4|Step 2 of 4/ },
  { step: "verify", label: "wizard 3: enter a code", expect: /Step <!-- -->3<!-- --> of 4|Step 3 of 4/ },
  { step: "codes", label: "wizard 4: backup codes", expect: /Step <!-- -->4<!-- --> of 4|Step 4 of 4/ },
];
