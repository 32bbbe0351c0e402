import { createUser } from "./queries";
import { hashPassword } from "@/lib/auth/password";

export const DEMO_EMAIL = "demo@example.com";
export const DEMO_PASSWORD = "correct horse battery staple";

const result = createUser(DEMO_EMAIL, await hashPassword(DEMO_PASSWORD), Date.now());
console.info(
  result === "email-taken"
    ? `The demo account ${DEMO_EMAIL} already exists.`
    : `Created the demo account ${DEMO_EMAIL} with password "${DEMO_PASSWORD}".`,
);
