import { db } from "./index";
import { env } from "@/lib/env";

db();
console.info(`Database migrated: ${env().databasePath}`);
