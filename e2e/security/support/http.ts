// A small HTTP client with its own cookie jar: the attacker decides every header and byte.
// Only loopback: every request goes to the suite's own server on localhost. One connection per
// request (no keep-alive pool), so a server killed and restarted leaves no stale sockets behind.
import fs from "node:fs";
import http from "node:http";
import zlib from "node:zlib";
import { runPath } from "./run-dir";
import type { Server } from "./server";

const REQUEST_TIMEOUT_MS = 20_000;
// A V8 stack frame ("    at fn (/path/file.js:1:2)"), a server path, or an error class name with its message.
const STACK_TRACE = /\n\s+at \S.*:\d+:\d+|node_modules\/|webpack-internal:|\.next\/server\/|(?:Type|Reference|Syntax|Range)Error: /;

export type HttpResponse = {
  status: number;
  headers: Headers;
  text: string;
  /** Raw Set-Cookie header values, attributes included. */
  setCookies: string[];
  location: string | null;
  json<T = Record<string, unknown>>(): T;
};

export type RequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | FormData | URLSearchParams | null;
  /** Origin header; defaults to the app's own origin on anything but GET/HEAD; null leaves it out. */
  origin?: string | null;
  /** false: send no cookies from the jar (and store none). */
  cookies?: boolean;
};

export function looksLikeStackTrace(text: string): boolean {
  return STACK_TRACE.test(text);
}

/** Told when each request starts and ends (the crash test counts requests in flight at a kill). */
export type RequestObserver = { started(label: string): void; finished(label: string): void };

export class Client {
  readonly jar = new Map<string, string>();
  /** Every Set-Cookie this client received, for the cookie-attribute checks. */
  readonly setCookieLog: string[] = [];
  observer?: RequestObserver;
  label = "";
  /** Sent with every request (e.g. a forged X-Forwarded-For). */
  defaultHeaders: Record<string, string> = {};

  constructor(readonly server: Server) {}

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  /** Cookies named like the app's session or challenge cookie, whatever the prefix. */
  sessionToken(): string | undefined {
    return [...this.jar].find(([name]) => name.endsWith("next-auth.session-token"))?.[1];
  }

  challengeId(): string | undefined {
    return [...this.jar].find(([name]) => name.endsWith("sign-in-challenge"))?.[1];
  }

  /** The same browser talking to another server process (cookies are per host, not per port). */
  on(server: Server): Client {
    const copy = new Client(server);
    for (const [name, value] of this.jar) copy.jar.set(name, value);
    copy.defaultHeaders = { ...this.defaultHeaders };
    return copy;
  }

  /** A copy with the same cookies (another tab of the same browser). */
  clone(): Client {
    return this.on(this.server);
  }

  async request(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const observer = this.observer;
    const label = this.label;
    observer?.started(label);
    try {
      return await this.send(path, options);
    } finally {
      observer?.finished(label);
    }
  }

  private async send(path: string, options: RequestOptions): Promise<HttpResponse> {
    const method = options.method ?? "GET";
    const headers: Record<string, string> = { ...this.defaultHeaders, ...options.headers };
    const origin = options.origin === undefined ? (method === "GET" || method === "HEAD" ? null : this.server.origin) : options.origin;
    if (origin !== null) headers.origin = origin;
    if (options.cookies !== false && this.jar.size > 0) {
      headers.cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    const url = new URL(path, this.server.baseURL);
    if (url.hostname !== "localhost" && url.hostname !== "127.0.0.1") throw new Error(`refusing a request off loopback: ${url}`);
    const body = await encodeBody(options.body, headers);
    const raw = await rawRequest(url, method, headers, body);
    const text = raw.body.toString("utf8");
    const setCookies = raw.setCookies;
    if (options.cookies !== false) this.store(setCookies);
    this.setCookieLog.push(...setCookies);
    if (raw.status >= 400) {
      fs.appendFileSync(runPath("responses", "error-pages.log"), `${method} ${url.pathname} -> ${raw.status}\n${text.slice(0, 65_536)}\n\n`);
    }
    return {
      status: raw.status,
      headers: raw.headers,
      text,
      setCookies,
      location: raw.headers.get("location"),
      json<T>() {
        return JSON.parse(text) as T;
      },
    };
  }

  get(path: string, options: RequestOptions = {}) {
    return this.request(path, { ...options, method: "GET" });
  }

  postJson(path: string, value: unknown, options: RequestOptions = {}) {
    return this.request(path, {
      ...options,
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify(value),
    });
  }

  postForm(path: string, fields: Record<string, string>, options: RequestOptions = {}) {
    return this.request(path, {
      ...options,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  private store(setCookies: string[]) {
    for (const raw of setCookies) {
      const [pair = "", ...attributes] = raw.split(";");
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = "", val = ""] = attribute.trim().split("=");
        if (key.toLowerCase() === "max-age") return Number(val) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
}

/** FormData and URLSearchParams are encoded as a browser would (multipart boundary, urlencoding). */
async function encodeBody(body: RequestOptions["body"], headers: Record<string, string>): Promise<Buffer | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (Buffer.isBuffer(body)) return body;
  const request = new Request("http://localhost/", { method: "POST", body });
  const hasType = Object.keys(headers).some((key) => key.toLowerCase() === "content-type");
  if (!hasType) headers["content-type"] = request.headers.get("content-type") ?? "application/octet-stream";
  return Buffer.from(await request.arrayBuffer());
}

type RawResponse = { status: number; headers: Headers; setCookies: string[]; body: Buffer };

function rawRequest(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method, headers: { ...headers, ...(body ? { "content-length": String(body.length) } : {}) }, agent: false, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (name === "set-cookie" || value === undefined) continue;
            responseHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          const setCookies = response.headers["set-cookie"] ?? [];
          for (const cookie of setCookies) responseHeaders.append("set-cookie", cookie);
          resolve({ status: response.statusCode ?? 0, headers: responseHeaders, setCookies, body: decode(Buffer.concat(chunks), response.headers["content-encoding"]) });
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${method} ${url.pathname}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === "gzip") return zlib.gunzipSync(body);
  if (encoding === "br") return zlib.brotliDecompressSync(body);
  if (encoding === "deflate") return zlib.inflateSync(body);
  return body;
}

/** Parses one Set-Cookie value into its name and lower-cased attributes. */
export function parseSetCookie(raw: string): { name: string; value: string; attributes: Map<string, string> } {
  const [pair = "", ...rest] = raw.split(";");
  const eq = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [key = "", ...value] = part.trim().split("=");
    if (key) attributes.set(key.toLowerCase(), value.join("=").trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}
