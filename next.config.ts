import type { NextConfig } from "next";
import { staticSecurityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // speakeasy uses `new Buffer()`; bundling it prints a deprecation warning on every load.
  serverExternalPackages: ["speakeasy", "@node-rs/argon2", "nodemailer"],
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders(process.env.NODE_ENV === "production") }];
  },
  // next dev / next build would otherwise write AGENTS.md files into the checkout.
  agentRules: false,
  experimental: {
    agentUpgrade: false,
    // Next.js holds a copy of each request body for the proxy (10 MB by default) and cuts it there.
    // Server actions take at most 1 MB: twice that still shows lib/action-guard.ts "too large".
    proxyClientMaxBodySize: "2mb",
  },
  // Render <title> in the initial HTML for every browser (not streamed in later): screen readers
  // and accessibility checks always find a document title, also right after a client refresh.
  htmlLimitedBots: /.*/,
};

export default nextConfig;
