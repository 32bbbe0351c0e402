import { z } from "zod";

const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
type Transport = (typeof TRANSPORTS)[number];

const base64url = z.string().max(8192).regex(/^[A-Za-z0-9_-]*$/, "not base64url");

// No extension is requested, so whatever a browser (or an attacker) reports is dropped, not kept.
const ignoredExtensionResults = z
  .record(z.string(), z.unknown())
  .default({})
  .transform(() => ({}));

/** The JSON a browser's navigator.credentials.get() produces (via @simplewebauthn/browser). */
export const authenticationResponseSchema = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  clientExtensionResults: ignoredExtensionResults,
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

/** The JSON of navigator.credentials.create(). */
export const registrationResponseSchema = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    // Unknown (future) transports are dropped rather than failing the registration.
    transports: z
      .array(z.string().max(32))
      .max(10)
      .transform((values) => values.filter((value): value is Transport => (TRANSPORTS as readonly string[]).includes(value)))
      .optional(),
    publicKeyAlgorithm: z.number().optional(),
    publicKey: base64url.optional(),
    authenticatorData: base64url.optional(),
  }),
  clientExtensionResults: ignoredExtensionResults,
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});
