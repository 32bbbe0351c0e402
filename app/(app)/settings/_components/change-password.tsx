"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { TextField } from "@/components/ui/text-field";
import { useServerAction } from "@/components/use-server-action";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { changePasswordAction } from "../actions";

export function ChangePassword() {
  const form = useRef<HTMLFormElement>(null);
  const [done, setDone] = useState(false);
  const { message, fieldErrors, pending, onSubmit } = useServerAction(changePasswordAction, () => {
    form.current?.reset();
    setDone(true);
  });
  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="flex flex-col items-start gap-4" aria-label="Change password">
      <FormAlert message={message} />
      <FormAlert tone="success" message={done && !message ? "Your password was changed. Other sessions were signed out." : null} />
      <TextField label="Current password" name="currentPassword" type="password" autoComplete="current-password" required errors={fieldErrors.currentPassword} />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        errors={fieldErrors.newPassword}
      />
      <TextField label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" required errors={fieldErrors.confirmPassword} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Change password
      </Button>
    </form>
  );
}
