import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // speakeasy uses `new Buffer()`; bundling it prints a deprecation warning on every load.
  serverExternalPackages: ["speakeasy", "@node-rs/argon2"],
  poweredByHeader: false,
  agentRules: false,
};

export default nextConfig;
