import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("./", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: fileURLToPath(new URL("./lib/test-support/server-only-stub.ts", import.meta.url)) },
      { find: /^@\//, replacement: root },
    ],
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
    // Each test file gets its own fresh SQLite file and keys (see the setup file).
    setupFiles: ["lib/test-support/test-env.ts"],
  },
});
