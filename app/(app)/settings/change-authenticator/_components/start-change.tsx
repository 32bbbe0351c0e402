"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useRefreshToConfirmIdentity } from "@/components/use-refresh-to-confirm-identity";
import { useServerAction } from "@/components/use-server-action";
import { beginAuthenticatorChangeAction } from "../actions";

export function StartChange() {
  const router = useRouter();
  const { message, reason, pending, run } = useServerAction(beginAuthenticatorChangeAction, () => router.refresh());
  useRefreshToConfirmIdentity(reason);
  return (
    <>
      <p>
        You will scan a new QR code with the app you want to use from now on. Your current app keeps working until you
        enter a code from the new one.
      </p>
      <FormAlert message={message} />
      <div>
        <Button onClick={() => run()} disabled={pending}>
          Continue
        </Button>
      </div>
    </>
  );
}
