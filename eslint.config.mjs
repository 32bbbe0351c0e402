import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    // A deferred transaction upgrades its lock at the first write and fails with "database is
    // locked" when another process got there first; db/transaction.ts takes the lock at BEGIN.
    files: ["app/**/*.{ts,tsx}", "lib/**/*.ts", "db/**/*.ts"],
    ignores: ["db/transaction.ts", "**/*.test.ts", "lib/test-support/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='transaction'][callee.object.type='CallExpression'][callee.object.callee.name='db']",
          message: "Use immediateTransaction() from db/transaction.ts.",
        },
      ],
    },
  },
  {
    ignores: [".next/**", "node_modules/**", "next-env.d.ts", "db/migrations/**", "test-results/**", "playwright-report/**"],
  },
];

export default config;
