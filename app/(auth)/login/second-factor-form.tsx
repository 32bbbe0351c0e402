"use client";

import { useState, useTransition } from "react";
import { AuthenticationCodeField } from "@/components/auth/authentication-code-field";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { TextField } from "@/components/ui/text-field";
import { completeSignIn } from "@/lib/auth/complete-sign-in";

type SecondFactorFormProps = { callbackUrl: string; onRestart: (message: string) => void };

/** Step 2 of signing in: a code from the app, or a backup code. The session exists only after it. */
export function SecondFactorForm({ callbackUrl, onRestart }: SecondFactorFormProps) {
  const [method, setMethod] = useState<"totp" | "backup">("totp");
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    const destination =
      method === "backup" ? `/backup-code-used?callbackUrl=${encodeURIComponent(callbackUrl)}` : callbackUrl;
    startTransition(async () => {
      const error = await completeSignIn(destination, { method, code });
      if (!error) return;
      if (error.restart) onRestart(error.message);
      else setMessage(error.message);
    });
  }

  function switchMethod() {
    setMethod(method === "totp" ? "backup" : "totp");
    setMessage(null);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Two-factor authentication">
      <p>
        {method === "totp"
          ? "Enter the code from your authenticator app"
          : "Enter one of the backup codes you saved when you turned on two-factor authentication."}
      </p>
      <FormAlert message={message} />
      {method === "totp" ? (
        <AuthenticationCodeField key="totp" autoFocus />
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
          autoFocus
          hint="Like abcde-12345. Each backup code works once."
          className="w-56 font-mono text-lg"
        />
      )}
      <Button type="submit" disabled={pending}>
        {pending ? "Verifying…" : "Verify"}
      </Button>
      <Button variant="secondary" onClick={switchMethod}>
        {method === "totp" ? "Use a backup code instead" : "Use your authenticator app instead"}
      </Button>
    </form>
  );
}
