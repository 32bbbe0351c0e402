import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // speakeasy uses `new Buffer()`; bundling it prints a deprecation warning on every load.
  serverExternalPackages: ["speakeasy", "@node-rs/argon2"],
  poweredByHeader: false,
  agentRules: false,
  // Render <title> in the initial HTML for every browser (not streamed in later): screen readers
  // and accessibility checks always find a document title, also right after a client refresh.
  htmlLimitedBots: /.*/,
};

export default nextConfig;
