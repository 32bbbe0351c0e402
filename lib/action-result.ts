import type { z } from "zod";

export type FieldErrors = Record<string, string[] | undefined>;

// reason: a machine-readable cause where the UI reacts to it (e.g. "confirm-identity").
export type ActionError = { status: "error"; message: string; fieldErrors?: FieldErrors; reason?: string };

export type ActionResult<T = null> = ActionError | { status: "success"; data: T };

/** The reason given when a sensitive action needs the user to confirm it's them (sudo mode). */
export const CONFIRM_IDENTITY = "confirm-identity";

export function failure(message: string, fieldErrors?: FieldErrors, reason?: string): ActionError {
  return { status: "error", message, fieldErrors, reason };
}

export function success<T>(data: T): ActionResult<T> {
  return { status: "success", data };
}

/** Parses untrusted form input; the first problem becomes the message, every problem a field error. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; result: ActionError } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "form");
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, result: failure(parsed.error.issues[0]?.message ?? "Please check the form.", fieldErrors) };
}

/** FormData to a plain object of strings; files and repeated keys are dropped. */
export function formFields(formData: unknown): Record<string, string> {
  if (!(formData instanceof FormData)) return {};
  const fields: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !(key in fields)) fields[key] = value;
  }
  return fields;
}
