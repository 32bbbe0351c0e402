"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { TextField } from "@/components/ui/text-field";
import { useServerAction } from "@/components/use-server-action";
import { confirmPassword } from "../actions";

export function StepConfirmPassword() {
  const router = useRouter();
  const { message, fieldErrors, pending, onSubmit } = useServerAction(confirmPassword, () => router.refresh());
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Confirm your password">
      <p>You signed in more than 10 minutes ago. For your security, enter your password again to continue.</p>
      <FormAlert message={message} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        errors={fieldErrors.password}
      />
      <div>
        <Button type="submit" disabled={pending}>
          Confirm password
        </Button>
      </div>
    </form>
  );
}
