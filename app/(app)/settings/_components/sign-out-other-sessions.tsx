"use client";

import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerAction } from "@/components/use-server-action";
import { CONFIRM_IDENTITY } from "@/lib/action-result";
import { useState } from "react";
import { signOutOtherSessionsAction } from "../actions";
import { ConfirmIdentityForm } from "./confirm-identity-form";

export function SignOutOtherSessions({ twoFactorOn }: { twoFactorOn: boolean }) {
  const [done, setDone] = useState(false);
  const signOut = useServerAction(signOutOtherSessionsAction, () => setDone(true));
  return (
    <div className="flex flex-col items-start gap-3">
      <p className="text-sm text-slate-700">
        Signed in on a computer you no longer use? End every session except this one.
      </p>
      {signOut.reason === CONFIRM_IDENTITY ? (
        <ConfirmIdentityForm twoFactorOn={twoFactorOn} onConfirmed={() => signOut.run()} />
      ) : (
        <FormAlert message={signOut.message} />
      )}
      <FormAlert tone="success" message={done ? "Every other session was signed out. You are still signed in here." : null} />
      <Button variant="secondary" onClick={() => signOut.run()} disabled={signOut.pending}>
        Sign out other sessions
      </Button>
    </div>
  );
}
