"use client";

import { useState, useTransition } from "react";
import { SecondFactorFields } from "@/components/auth/second-factor-fields";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { completeSignIn } from "@/lib/auth/complete-sign-in";

type SecondFactorFormProps = { callbackUrl: string; onRestart: (message: string) => void };

/** Step 2 of signing in: a code from the app, or a backup code. The session exists only after it. */
export function SecondFactorForm({ callbackUrl, onRestart }: SecondFactorFormProps) {
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const method = form.get("method") === "backup" ? "backup" : "totp";
    const code = String(form.get("code") ?? "");
    const destination =
      method === "backup" ? `/backup-code-used?callbackUrl=${encodeURIComponent(callbackUrl)}` : callbackUrl;
    startTransition(async () => {
      const error = await completeSignIn(destination, { method, code });
      if (!error) return;
      if (error.restart) onRestart(error.message);
      else setMessage(error.message);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Two-factor authentication">
      <h2 className="text-lg font-semibold">Enter the code from your authenticator app</h2>
      <p className="text-sm text-slate-700">Lost your phone? Use one of the backup codes you saved instead.</p>
      <FormAlert message={message} />
      <SecondFactorFields autoFocus onSwitch={() => setMessage(null)} />
      <Button type="submit" disabled={pending}>
        {pending ? "Verifying…" : "Verify"}
      </Button>
    </form>
  );
}
