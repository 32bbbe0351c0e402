import { z } from "zod";

const CODE_FORMAT_MESSAGE = "Enter the 6-digit code from your authenticator app.";

/** Spaces are ignored ("123 456"); anything else that is not six digits is refused. */
export const totpCodeSchema = z
  .string({ error: CODE_FORMAT_MESSAGE })
  .max(32, CODE_FORMAT_MESSAGE)
  .transform((value) => value.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, CODE_FORMAT_MESSAGE));

export const codeFormSchema = z.object({ code: totpCodeSchema });

export const acknowledgeSchema = z.object({
  acknowledged: z.literal("on", { error: "Tick the box to confirm you have downloaded your backup codes." }),
});

export const confirmPasswordSchema = z.object({
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1024, "That password is not right."),
});

/** A current second factor, as posted by SecondFactorFields. */
export const secondFactorFormSchema = z.object({
  method: z.enum(["totp", "backup"], { error: "Choose a code from your app or a backup code." }).default("totp"),
  code: z.string({ error: "Enter a code." }).trim().min(1, "Enter a code.").max(64, "That code is too long."),
});
