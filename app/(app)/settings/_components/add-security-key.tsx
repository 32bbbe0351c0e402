"use client";

import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { TextField } from "@/components/ui/text-field";
import { CONFIRM_IDENTITY } from "@/lib/action-result";
import { describeWebAuthnError, NO_WEBAUTHN_MESSAGE } from "@/lib/webauthn/browser-errors";
import { finishSecurityKeyRegistrationAction, startSecurityKeyRegistrationAction } from "../security-keys/actions";
import { ConfirmIdentityForm } from "./confirm-identity-form";

export function AddSecurityKey() {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [needsConfirmation, setNeedsConfirmation] = useState(false);
  const [pending, startTransition] = useTransition();

  function register(name: string) {
    setMessage(null);
    setAdded(null);
    if (!browserSupportsWebAuthn()) return setMessage(NO_WEBAUTHN_MESSAGE);
    startTransition(async () => {
      const start = await startSecurityKeyRegistrationAction();
      if (start.status === "error") {
        setNeedsConfirmation(start.reason === CONFIRM_IDENTITY);
        return setMessage(start.message);
      }
      const startedAt = Date.now();
      let response;
      try {
        response = await startRegistration({ optionsJSON: start.data.options });
      } catch (error) {
        return setMessage(describeWebAuthnError(error, startedAt, start.data.options.timeout ?? 60_000));
      }
      const finish = await finishSecurityKeyRegistrationAction({ name, response });
      if (finish.status === "error") {
        setNeedsConfirmation(finish.reason === CONFIRM_IDENTITY);
        return setMessage(finish.message);
      }
      setAdded(`Security key “${name}” added. You can use it the next time you sign in.`);
      router.refresh();
    });
  }

  return (
    <div className="flex flex-col gap-3">
      {needsConfirmation ? (
        <ConfirmIdentityForm
          twoFactorOn
          onConfirmed={() => {
            setNeedsConfirmation(false);
            setMessage(null);
          }}
        />
      ) : (
        <form
          className="flex flex-col items-start gap-3"
          aria-label="Add security key"
          onSubmit={(event) => {
            event.preventDefault();
            register(String(new FormData(event.currentTarget).get("name") ?? "").trim());
          }}
        >
          <FormAlert message={message} />
          <TextField label="Key name" name="name" required maxLength={64} hint="For example “YubiKey 5” or “Work laptop”." />
          <Button type="submit" variant="secondary" disabled={pending}>
            Add security key
          </Button>
        </form>
      )}
      <FormAlert tone="success" message={added} />
    </div>
  );
}
