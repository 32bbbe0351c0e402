"use client";

import { useRouter } from "next/navigation";
import { AuthenticationCodeField } from "@/components/auth/authentication-code-field";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useRefreshToConfirmIdentity } from "@/components/use-refresh-to-confirm-identity";
import { useServerAction } from "@/components/use-server-action";
import { cancelAuthenticatorChangeAction, verifyNewAuthenticatorAction } from "../actions";

export function VerifyNewApp() {
  const router = useRouter();
  const verify = useServerAction(verifyNewAuthenticatorAction, () => router.push("/settings?notice=authenticator-changed"));
  const cancel = useServerAction(cancelAuthenticatorChangeAction, () => router.push("/settings"));
  useRefreshToConfirmIdentity(verify.reason);
  return (
    <form onSubmit={verify.onSubmit} noValidate className="flex flex-col gap-4" aria-label="Verify the new app">
      <p>Then enter the 6-digit code the new app shows.</p>
      <FormAlert message={verify.message ?? cancel.message} />
      <AuthenticationCodeField errors={verify.fieldErrors.code} />
      <div className="flex flex-wrap gap-3">
        <Button type="submit" disabled={verify.pending}>
          Verify
        </Button>
        <Button variant="secondary" onClick={() => cancel.run()} disabled={cancel.pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
