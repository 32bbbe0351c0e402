"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { TextField } from "@/components/ui/text-field";
import { usePasswordStep } from "@/components/auth/use-password-step";
import { submitPassword } from "./submit-password";
import { SecondFactorForm } from "./second-factor-form";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [stage, setStage] = useState<"password" | "second-factor">("password");
  const [restartMessage, setRestartMessage] = useState<string | null>(null);
  const [hasSecurityKey, setHasSecurityKey] = useState(false);
  const { message, fieldErrors, pending, onSubmit } = usePasswordStep(submitPassword, callbackUrl, (securityKey) => {
    setRestartMessage(null);
    setHasSecurityKey(securityKey);
    setStage("second-factor");
  });

  if (stage === "second-factor") {
    return (
      <SecondFactorForm
        callbackUrl={callbackUrl}
        hasSecurityKey={hasSecurityKey}
        onRestart={(reason) => {
          setRestartMessage(reason);
          setStage("password");
        }}
      />
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Sign in">
      <FormAlert message={message ?? restartMessage} />
      <TextField label="Email" name="email" type="email" autoComplete="username" required errors={fieldErrors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        errors={fieldErrors.password}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-sm text-slate-700">
        New here?{" "}
        <Link href="/signup" className="font-medium text-indigo-700 underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
