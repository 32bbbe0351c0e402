// After every attack: no TOTP secret, backup code, password, session token, challenge id or
// server key appears in what the servers logged (stdout and stderr), in any error page they
// answered, in their database files (main file, WAL and shared memory) or in the notification
// emails they wrote, in any encoding an attacker would try. Also: no answer in the whole run was
// a 5xx or carried a stack trace, and the files that hold hashes and emails are the server user's alone.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { looksLikeStackTrace } from "./support/http";
import { readSecrets, runDir, type SecretKind } from "./support/run-dir";
import { base32Decode } from "./support/totp";

type Needle = { kind: SecretKind; form: string; bytes: Buffer };

/** Every spelling of a secret worth looking for. */
function needles(kind: SecretKind, value: string): Needle[] {
  const forms: [string, Buffer][] = [["as is", Buffer.from(value, "utf8")]];
  if (kind === "totp-secret") {
    const raw = base32Decode(value);
    forms.push(["lowercase", Buffer.from(value.toLowerCase())], ["raw bytes", raw], ["hex", Buffer.from(raw.toString("hex"))], ["base64", Buffer.from(raw.toString("base64").replace(/=+$/, ""))], ["base64url", Buffer.from(raw.toString("base64url"))]);
  }
  if (kind === "backup-code") {
    const normalized = value.replace(/-/g, "");
    forms.push(["normalized", Buffer.from(normalized)], ["uppercase", Buffer.from(value.toUpperCase())], ["normalized uppercase", Buffer.from(normalized.toUpperCase())]);
  }
  if (kind === "session-token") {
    // The JWE's ciphertext part alone is as good as the whole token to someone who has the rest.
    const ciphertext = value.split(".")[3];
    if (ciphertext && ciphertext.length >= 16) forms.push(["ciphertext part", Buffer.from(ciphertext)]);
  }
  if (kind === "password") forms.push(["utf-16", Buffer.from(value, "utf16le")]);
  return forms.map(([form, bytes]) => ({ kind, form, bytes }));
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

/**
 * Every occurrence of every needle in every file, in one pass per file: needles are indexed by
 * their first four bytes, and each position of a file is looked up in that index (thousands of
 * backup codes and tokens against megabytes of logs and databases, in a second or two).
 */
function scan(files: string[], found: Needle[][]): string[] {
  const index = new Map<number, Needle[]>();
  for (const needle of found.flat()) {
    if (needle.bytes.length < 8) throw new Error(`a ${needle.kind} shorter than 8 bytes cannot be searched for reliably`);
    const key = needle.bytes.readUInt32LE(0);
    index.set(key, [...(index.get(key) ?? []), needle]);
  }
  const hits = new Set<string>();
  for (const file of files) {
    const content = fs.readFileSync(file);
    for (let i = 0; i + 4 <= content.length; i++) {
      const candidates = index.get(content.readUInt32LE(i));
      if (!candidates) continue;
      for (const needle of candidates) {
        if (content.subarray(i, i + needle.bytes.length).equals(needle.bytes)) hits.add(`${path.relative(runDir(), file)}: a ${needle.kind} (${needle.form})`);
      }
    }
  }
  return [...hits];
}

test("no secret in the server logs, error pages, databases or emails, in any encoding", () => {
  const secrets = readSecrets();
  const kinds = new Set(secrets.map((secret) => secret.kind));
  expect(secrets.length, "no secrets were recorded").toBeGreaterThan(0);
  // A full run handles every kind of secret (so an empty scan means something).
  if (process.env.SEC_FULL_RUN) {
    for (const kind of ["password", "totp-secret", "backup-code", "session-token", "challenge-id", "server-secret"] as const) expect(kinds, `no ${kind} was recorded`).toContain(kind);
  }
  const unique = [...new Map(secrets.map((secret) => [`${secret.kind}:${secret.value}`, secret])).values()];
  const all = unique.map((secret) => needles(secret.kind, secret.value));

  const logs = filesUnder(path.join(runDir(), "logs"));
  const pages = filesUnder(path.join(runDir(), "responses"));
  const databases = filesUnder(path.join(runDir(), "servers"));
  expect(logs.length).toBeGreaterThan(0);
  expect(databases.filter((file) => file.endsWith(".db")).length).toBeGreaterThan(0);

  // The scanner finds what it looks for: a control file with one secret of each kind.
  const control = path.join(test.info().outputDir, "control.bin");
  fs.mkdirSync(path.dirname(control), { recursive: true });
  const samples = [...kinds].map((kind) => unique.find((secret) => secret.kind === kind)!);
  fs.writeFileSync(control, Buffer.concat(samples.map((secret) => Buffer.from(` ${secret.value} `))));
  expect(scan([control], samples.map((secret) => needles(secret.kind, secret.value))).length).toBeGreaterThanOrEqual(samples.length);

  expect(scan(logs, all), "secrets in the server logs").toEqual([]);
  expect(scan(pages, all), "secrets in error pages").toEqual([]);
  expect(scan(databases, all), "secrets in the database files").toEqual([]);
  expect(scan(filesUnder(path.join(runDir(), "outbox")), all), "secrets in notification emails").toEqual([]);
});

test("no answer in the whole run was a server error or showed a stack trace", () => {
  const file = path.join(runDir(), "responses", "error-pages.log");
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const entries = text.split(/\n\n(?=[A-Z]+ \/)/).filter(Boolean);
  const serverErrors = entries.filter((entry) => / -> 5\d\d\n/.test(entry.split("\n")[0] + "\n")).map((entry) => entry.split("\n")[0]);
  expect(serverErrors, "requests answered with a 5xx").toEqual([]);
  const traces = entries.filter((entry) => looksLikeStackTrace(entry.split("\n").slice(1).join("\n"))).map((entry) => entry.split("\n")[0]);
  expect(traces, "error pages showing a stack trace or a server path").toEqual([]);
});

test("the database files and the notification emails are readable by the server's own user alone", () => {
  const files = [...filesUnder(path.join(runDir(), "servers")).filter((file) => file.endsWith(".db")), ...filesUnder(path.join(runDir(), "outbox"))];
  expect(files.some((file) => file.endsWith(".eml")), "the run wrote emails").toBe(true);
  const open = files.filter((file) => (fs.statSync(file).mode & 0o077) !== 0).map((file) => `${path.relative(runDir(), file)}: ${(fs.statSync(file).mode & 0o777).toString(8)}`);
  expect(open, "files others on the machine could read").toEqual([]);
});
