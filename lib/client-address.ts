import http from "node:http";

/**
 * Next.js fills X-Forwarded-For with the socket address only when the client sent none, so a
 * client that connects directly could pick its own "address" and dodge the per-IP limits. Before
 * Next sees a request, the header is replaced with the one address that can be trusted: the
 * socket's (no proxy), or the entry appended by the outermost of `trustedProxies` proxies.
 */
let installed = false;

export function trustOnlyKnownProxies(trustedProxies: number): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers["x-forwarded-for"] = trustedClientAddress(request, trustedProxies);
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}

export function trustedClientAddress(request: Pick<http.IncomingMessage, "headers" | "socket">, trustedProxies: number): string {
  const socketAddress = request.socket.remoteAddress ?? "unknown";
  if (trustedProxies === 0) return socketAddress;
  const chain = String(request.headers["x-forwarded-for"] ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return chain.at(-trustedProxies) ?? socketAddress;
}
