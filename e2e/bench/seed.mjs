// Child process (node --conditions react-server, DATABASE_URL = the bench server's database):
// seeds the bench's users through the app's own modules before the server starts.
//   node --conditions react-server e2e/bench/seed.mjs <spec.json> <out.json>
import fs from "node:fs";
import { register } from "tsx/esm/api";

register();
const { db } = await import("../../db/index.ts");
const { createUser } = await import("../../db/queries.ts");
const { completeEnrollment, confirmEnrollment, moveEnrollmentStage, startEnrollment } = await import("../../db/two-factor-queries.ts");
const { hashPassword } = await import("../../lib/auth/password.ts");
const { generateBackupCodes, normalizeBackupCode } = await import("../../lib/backup-codes.ts");
const { generateTotpSecret, totpTimeStep } = await import("../../lib/totp.ts");
const { backupCodeHash, sealTotpSecret } = await import("../../lib/two-factor/secrets.ts");

const [specPath, outPath] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, "utf8"));
const now = Date.now();
const ENROLLMENT_MS = 30 * 60_000;

// Seeding only: this connection skips fsync (the server opens its own, with synchronous = FULL).
db().$client.pragma("synchronous = OFF");
// One argon2 hash of the shared password: every user's check costs one full verify all the same.
const passwordHash = await hashPassword(spec.password);

function newUser(email) {
  const created = createUser(email, passwordHash, now);
  if (created === "email-taken") throw new Error(`seed: ${email} exists`);
  return created.id;
}

/** Two-factor on, through the enrolment queries, as the wizard leaves it (cf. second-factor.test.ts). */
function enrolledUser(email) {
  const id = newUser(email);
  const secret = generateTotpSecret();
  const codes = generateBackupCodes();
  const sealedSecret = sealTotpSecret(id, secret);
  startEnrollment(id, sealedSecret, now, now + ENROLLMENT_MS);
  const hashes = codes.map((code) => backupCodeHash(normalizeBackupCode(code) ?? ""));
  // The step that turned it on is in the past, so a code for the current step is accepted.
  confirmEnrollment(id, { secretEncrypted: sealedSecret, step: totpTimeStep(now) - 5 }, hashes, now, now + ENROLLMENT_MS);
  if (!completeEnrollment(id, now)) throw new Error("seed: enrolment did not complete");
  return { id, email, secret, codes };
}

const out = { groups: {}, wizard: {} };
for (const [group, count] of Object.entries(spec.twoFactorGroups)) {
  out.groups[group] = Array.from({ length: count }, (_, i) => enrolledUser(`bench-${group}-${i}@example.com`));
}
for (const step of spec.wizardSteps) {
  const email = `bench-wizard-${step}@example.com`;
  const id = newUser(email);
  if (step !== "choose-app" && step !== "confirm-password") {
    const sealedSecret = sealTotpSecret(id, generateTotpSecret());
    startEnrollment(id, sealedSecret, now, now + ENROLLMENT_MS);
    if (step === "verify") moveEnrollmentStage(id, "scan", "verify", now);
    if (step === "codes") {
      const hashes = generateBackupCodes().map((code) => backupCodeHash(normalizeBackupCode(code) ?? ""));
      confirmEnrollment(id, { secretEncrypted: sealedSecret, step: totpTimeStep(now) - 1 }, hashes, now, now + ENROLLMENT_MS);
    }
  }
  out.wizard[step] = { id, email };
}
db().$client.close();
fs.writeFileSync(outPath, JSON.stringify(out));
