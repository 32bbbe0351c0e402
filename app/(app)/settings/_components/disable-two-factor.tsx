"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { SecondFactorFields } from "@/components/auth/second-factor-fields";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerAction } from "@/components/use-server-action";
import { disableTwoFactorAction } from "../actions";

export function DisableTwoFactor({ securityKeyCount }: { securityKeyCount: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const { message, fieldErrors, pending, onSubmit, clear } = useServerAction(disableTwoFactorAction, () => {
    setOpen(false);
    router.push("/settings?notice=two-factor-off");
  });
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Disable Two-Factor Authentication
      </Button>
      <Dialog open={open} title="Disable Two-Factor Authentication?" onClose={() => setOpen(false)}>
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Disable Two-Factor Authentication">
          <p>After this, signing in needs only your password:</p>
          <ul className="list-disc pl-6 text-sm">
            <li>your authenticator app will no longer be asked for, and its setup key is deleted;</li>
            <li>all your backup codes stop working;</li>
            {securityKeyCount > 0 && (
              <li>
                your {securityKeyCount === 1 ? "security key is" : `${securityKeyCount} security keys are`} removed too (you
                can add them again after turning two-factor back on);
              </li>
            )}
            <li>any other browser signed in to your account is signed out.</li>
          </ul>
          <p>To confirm, enter a code from your authenticator app or a backup code.</p>
          <FormAlert message={message} />
          <SecondFactorFields errors={fieldErrors.code} autoFocus onSwitch={clear} />
          <div className="flex flex-wrap gap-3">
            <Button type="submit" variant="danger" disabled={pending}>
              Yes, Disable 2FA
            </Button>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
