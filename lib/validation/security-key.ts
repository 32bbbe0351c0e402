import { z } from "zod";

const ASK = "Give the key a name, like “YubiKey 5”.";

// Control, format (bidi overrides, zero-width) and line/paragraph separators: a name travels into
// emails and the admin CLI's terminal, where these could rewrite or hide what is around them.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export const securityKeyName = z
  .string({ error: ASK })
  .trim()
  .min(1, ASK)
  .max(64, "Keep the name under 64 characters.")
  .refine((name) => !INVISIBLE_OR_CONTROL.test(name), "Use letters, digits, spaces and punctuation only.");

export const securityKeyId = z.coerce.number({ error: "That key was not found." }).int().positive("That key was not found.");
