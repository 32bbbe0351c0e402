import { db } from "@/db/index";
import { startEmailWorker } from "@/lib/email/outbox";
import { trustOnlyKnownProxies } from "./client-address";
import { env, EnvError } from "./env";

/** Fails fast with a readable message instead of a stack trace on the first request. */
export function prepareServer(): void {
  // The database (password hashes), its WAL, the emails and the dev secrets: for this user alone.
  process.umask(0o077);
  try {
    env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  trustOnlyKnownProxies(env().TRUSTED_PROXIES);
  db();
  startEmailWorker();
}
