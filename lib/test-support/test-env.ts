import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

// A real SQLite database in a temporary folder per test file: integration tests run no mocks.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "2fa-unit-"));
process.env.DATABASE_URL = path.join(folder, "test.db");
process.env.NEXTAUTH_SECRET = crypto.randomBytes(32).toString("base64url");
process.env.ENCRYPTION_KEY = crypto.randomBytes(32).toString("base64");
process.env.APP_NAME = "Acme";
process.env.EMAIL_OUTBOX_DIR = path.join(folder, "outbox");

afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));
