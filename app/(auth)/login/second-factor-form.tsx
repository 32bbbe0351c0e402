"use client";

import { useState, useTransition } from "react";
import { SecondFactorFields } from "@/components/auth/second-factor-fields";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { completeSignIn } from "@/lib/auth/complete-sign-in";
import type { SignInError } from "@/lib/auth/sign-in-errors";
import { signInWithSecurityKey } from "./sign-in-with-security-key";

type SecondFactorFormProps = { callbackUrl: string; hasSecurityKey: boolean; onRestart: (message: string) => void };

/** Step 2 of signing in: a code from the app, or a backup code. The session exists only after it. */
export function SecondFactorForm({ callbackUrl, hasSecurityKey, onRestart }: SecondFactorFormProps) {
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function handle(error: SignInError | null) {
    if (!error) return;
    if (error.restart) onRestart(error.message);
    else setMessage(error.message);
  }

  function signInWithKey() {
    startTransition(async () => handle(await signInWithSecurityKey(callbackUrl)));
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const method = form.get("method") === "backup" ? "backup" : "totp";
    const code = String(form.get("code") ?? "");
    const destination =
      method === "backup" ? `/backup-code-used?callbackUrl=${encodeURIComponent(callbackUrl)}` : callbackUrl;
    startTransition(async () => handle(await completeSignIn(destination, { method, code })));
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Two-factor authentication">
      <FormAlert message={message} />
      {hasSecurityKey && (
        <div className="flex flex-col gap-3 border-b border-slate-200 pb-4">
          <h2 className="text-lg font-semibold">Use your security key</h2>
          <p className="text-sm text-slate-700">Insert or touch your security key when your browser asks.</p>
          <Button onClick={signInWithKey} disabled={pending}>
            Use your security key
          </Button>
        </div>
      )}
      <h2 className="text-lg font-semibold">Enter the code from your authenticator app</h2>
      <p className="text-sm text-slate-700">Lost your phone? Use one of the backup codes you saved instead.</p>
      <SecondFactorFields autoFocus onSwitch={() => setMessage(null)} />
      <Button type="submit" disabled={pending}>
        {pending ? "Verifying…" : "Verify"}
      </Button>
    </form>
  );
}
