"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerAction } from "@/components/use-server-action";
import { CONFIRM_IDENTITY } from "@/lib/action-result";
import { beginAuthenticatorChangeAction } from "../actions";

export function StartChange() {
  const router = useRouter();
  const { message, reason, pending, run } = useServerAction(beginAuthenticatorChangeAction, () => router.refresh());
  // The 10-minute window ran out while this page was open: the server now shows "confirm it's you".
  useEffect(() => {
    if (reason === CONFIRM_IDENTITY) router.refresh();
  }, [reason, router]);
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
