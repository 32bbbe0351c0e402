"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { TextField } from "@/components/ui/text-field";
import { usePasswordStep } from "@/components/auth/use-password-step";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { createAccount } from "./actions";

export function SignupForm() {
  const { message, fieldErrors, pending, onSubmit } = usePasswordStep(createAccount, "/");
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Create account">
      <FormAlert message={message} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required errors={fieldErrors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A long phrase is easiest to remember.`}
        errors={fieldErrors.password}
      />
      <TextField
        label="Confirm password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        errors={fieldErrors.confirmPassword}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
      <p className="text-sm text-slate-700">
        Already have an account?{" "}
        <Link href="/login" className="font-medium text-indigo-700 underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
