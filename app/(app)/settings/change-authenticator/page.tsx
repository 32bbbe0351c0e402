import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthenticatorQr } from "@/components/two-factor/authenticator-qr";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { loadAuthenticatorChangeState } from "@/lib/two-factor/wizard-state";
import { ConfirmIdentityAndRefresh } from "../_components/confirm-identity-and-refresh";
import { StartChange } from "./_components/start-change";
import { VerifyNewApp } from "./_components/verify-new-app";

export const metadata: Metadata = { title: "Change authenticator app" };

export default async function ChangeAuthenticatorPage() {
  const state = loadAuthenticatorChangeState(await requireUser());
  if (state.step === "two-factor-off") redirect("/settings");
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">Change authenticator app</h1>
      <Card className="flex flex-col gap-4">
        {state.step === "confirm-identity" && <ConfirmIdentityAndRefresh twoFactorOn />}
        {state.step === "start" && <StartChange />}
        {state.step === "scan-and-verify" && (
          <>
            <h2 className="text-xl font-semibold">Scan the QR code with your new app</h2>
            <AuthenticatorQr otpauthUri={state.otpauthUri} secret={state.secret} />
            <VerifyNewApp />
          </>
        )}
      </Card>
    </div>
  );
}
