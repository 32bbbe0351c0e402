"use client";

import { SecondFactorFields } from "@/components/auth/second-factor-fields";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { TextField } from "@/components/ui/text-field";
import { useServerAction } from "@/components/use-server-action";
import { confirmIdentityAction } from "../actions";

type ConfirmIdentityFormProps = { twoFactorOn: boolean; onConfirmed: () => void };

/** Sudo mode: a current code (or the password, when two-factor is off) restarts the 10-minute window. */
export function ConfirmIdentityForm({ twoFactorOn, onConfirmed }: ConfirmIdentityFormProps) {
  const { message, fieldErrors, pending, onSubmit, clear } = useServerAction(confirmIdentityAction, onConfirmed);
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Confirm it's you">
      <p>
        You signed in more than 10 minutes ago. For your security,{" "}
        {twoFactorOn ? "enter a code from your authenticator app" : "enter your password again"} to continue.
      </p>
      <FormAlert message={message} />
      {twoFactorOn ? (
        <SecondFactorFields errors={fieldErrors.code} onSwitch={clear} />
      ) : (
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={fieldErrors.password}
        />
      )}
      <div>
        <Button type="submit" disabled={pending}>
          {twoFactorOn ? "Confirm" : "Confirm password"}
        </Button>
      </div>
    </form>
  );
}
