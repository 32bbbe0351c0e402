import { TextField } from "@/components/ui/text-field";

type AuthenticationCodeFieldProps = { errors?: string[]; autoFocus?: boolean };

/** The 6-digit code field, the same everywhere a code is asked for. */
export function AuthenticationCodeField({ errors, autoFocus }: AuthenticationCodeFieldProps) {
  return (
    <TextField
      label="Authentication code"
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={9}
      required
      autoFocus={autoFocus}
      hint="The 6-digit code shown in your authenticator app."
      errors={errors}
      className="w-48 font-mono text-lg tracking-widest"
    />
  );
}
