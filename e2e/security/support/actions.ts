// Server actions over raw HTTP, as the browser calls them: POST to a page that uses the action,
// with the `Next-Action` header and the arguments encoded by React's own client (encodeReply).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Client, HttpResponse, RequestOptions } from "./http";

type ManifestEntry = { exportedName?: string; filename?: string; workers?: Record<string, unknown> };
type EncodeReply = (value: unknown[]) => Promise<string | FormData>;

const require = createRequire(path.join(process.cwd(), "package.json"));
const { encodeReply } = require("next/dist/compiled/react-server-dom-turbopack/client.node") as { encodeReply: EncodeReply };

export type ActionName =
  | "createAccount"
  | "beginEnrollment"
  | "goToVerifyStep"
  | "goBackToScanStep"
  | "verifyEnrollmentCode"
  | "renewEnrollmentBackupCodes"
  | "acknowledgeBackupCodes"
  | "cancelTwoFactorSetup"
  | "disableTwoFactorAction"
  | "generateNewBackupCodesAction"
  | "signOutOtherSessionsAction"
  | "confirmIdentityAction"
  | "changePasswordAction"
  | "beginAuthenticatorChangeAction"
  | "verifyNewAuthenticatorAction"
  | "cancelAuthenticatorChangeAction"
  | "startSecurityKeyRegistrationAction"
  | "finishSecurityKeyRegistrationAction"
  | "renameSecurityKeyAction"
  | "removeSecurityKeyAction";

/** Actions anyone may call; every other one needs a session. */
export const PUBLIC_ACTIONS: ActionName[] = ["createAccount"];

export type ActionRef = { name: string; id: string; page: string };

let cache: Map<string, ActionRef> | undefined;

/** Every server action of the build, from .next/server/server-reference-manifest.json. */
export function allActions(): Map<string, ActionRef> {
  if (cache) return cache;
  const file = path.join(process.cwd(), ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { node: Record<string, ManifestEntry> };
  cache = new Map();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const worker = Object.keys(entry.workers ?? {})[0];
    if (!entry.exportedName || !worker) continue;
    cache.set(entry.exportedName, { name: entry.exportedName, id, page: pageUrl(worker) });
  }
  return cache;
}

// "app/(app)/settings/two-factor/page" -> "/settings/two-factor"
function pageUrl(worker: string): string {
  const segments = worker.replace(/^app\//, "").replace(/\/?page$/, "").split("/");
  return "/" + segments.filter((segment) => segment && !/^\(.*\)$/.test(segment)).join("/");
}

export function action(name: ActionName): ActionRef {
  const ref = allActions().get(name);
  if (!ref) throw new Error(`No server action named ${name} in the build manifest`);
  return ref;
}

export type ActionOutcome =
  /** The action returned: its value (an ActionResult in this app). */
  | { kind: "result"; value: { status?: string; message?: string; data?: unknown; reason?: string } & Record<string, unknown> }
  /** The action (or Next's decoding of the request) threw: the client sees only a digest. */
  | { kind: "thrown"; digest?: string }
  /** Not a React Flight answer at all (a 4xx page, a redirect...). */
  | { kind: "none" };

export type ActionCall = HttpResponse & { outcome: ActionOutcome };

/** Reads the action's return value out of the React Flight response. */
export function parseFlight(text: string): ActionOutcome {
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined && !rows.has(match[1])) rows.set(match[1], match[2]);
  }
  const root = rows.get("0");
  if (!root) return { kind: "none" };
  let reference: unknown;
  try {
    reference = (JSON.parse(root) as { a?: unknown }).a;
  } catch {
    return { kind: "none" };
  }
  if (typeof reference !== "string" || !reference.startsWith("$@")) return { kind: "none" };
  const row = rows.get(reference.slice(2));
  if (row === undefined) return { kind: "none" };
  if (row.startsWith("E")) {
    const error = JSON.parse(row.slice(1)) as { digest?: string };
    return { kind: "thrown", digest: error.digest };
  }
  return { kind: "result", value: JSON.parse(row) as { status?: string } };
}

export function formData(fields: Record<string, string | Blob>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}

/** Calls `name` with `args` exactly as React's client would. */
export async function callAction(client: Client, name: ActionName, args: unknown[] = [], options: RequestOptions = {}): Promise<ActionCall> {
  const body = await encodeReply(args);
  return postAction(client, name, body, options);
}

/** Posts any body with the action's header: for malformed and hostile payloads. */
export async function postAction(
  client: Client,
  name: ActionName,
  body: string | Buffer | FormData,
  options: RequestOptions = {},
): Promise<ActionCall> {
  const ref = action(name);
  const headers: Record<string, string> = { "next-action": ref.id, accept: "text/x-component", ...options.headers };
  if (typeof body === "string" && !Object.keys(headers).some((key) => key.toLowerCase() === "content-type")) {
    headers["content-type"] = "text/plain;charset=UTF-8";
  }
  const response = await client.request(ref.page, { ...options, method: "POST", headers, body });
  const flight = response.headers.get("content-type")?.startsWith("text/x-component");
  return { ...response, outcome: flight ? parseFlight(response.text) : { kind: "none" } };
}

/** Shorthand: an action that takes one FormData. */
export function submit(client: Client, name: ActionName, fields: Record<string, string> = {}, options: RequestOptions = {}) {
  return callAction(client, name, [formData(fields)], options);
}
