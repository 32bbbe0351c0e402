"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { AuthenticationCodeField } from "./authentication-code-field";

type SecondFactorFieldsProps = { errors?: string[]; autoFocus?: boolean; onSwitch?: () => void };

/**
 * The code field with "Use a backup code instead": used at sign-in and by every step that asks
 * for a current second factor. Posts `method` ("totp" or "backup") and `code`.
 */
export function SecondFactorFields({ errors, autoFocus, onSwitch }: SecondFactorFieldsProps) {
  const [method, setMethod] = useState<"totp" | "backup">("totp");
  return (
    <div className="flex flex-col items-start gap-3">
      <input type="hidden" name="method" value={method} />
      {method === "totp" ? (
        <AuthenticationCodeField key="totp" errors={errors} autoFocus={autoFocus} />
      ) : (
        <TextField
          key="backup"
          label="Backup code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
          autoFocus={autoFocus}
          hint="Like abcde-12345. Each backup code works once."
          errors={errors}
          className="w-56 font-mono text-lg"
        />
      )}
      <Button
        variant="secondary"
        onClick={() => {
          setMethod(method === "totp" ? "backup" : "totp");
          onSwitch?.();
        }}
      >
        {method === "totp" ? "Use a backup code instead" : "Use your authenticator app instead"}
      </Button>
    </div>
  );
}
