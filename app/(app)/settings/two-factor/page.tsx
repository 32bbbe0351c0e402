import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { loadWizardState } from "@/lib/two-factor/wizard-state";
import { StepChooseApp } from "./_components/step-choose-app";
import { ConfirmIdentityAndRefresh } from "../_components/confirm-identity-and-refresh";
import { StepScan } from "./_components/step-scan";
import { VerifyAndSaveCodes } from "./_components/verify-and-save-codes";
import { WizardFrame } from "./_components/wizard-frame";

export const metadata: Metadata = { title: "Enable Two-Factor Authentication" };

/** The step is derived from the database: reloads, Back and second tabs all land on the same one. */
export default async function TwoFactorSetupPage() {
  const state = loadWizardState(await requireUser());
  switch (state.step) {
    case "already-on":
      redirect("/settings");
    case "confirm-password":
      return (
        <div className="flex flex-col gap-6">
          <h1 className="text-2xl font-bold">Enable Two-Factor Authentication</h1>
          <Card>
            <h2 className="mb-4 text-xl font-semibold">Confirm your password</h2>
            <ConfirmIdentityAndRefresh twoFactorOn={false} />
          </Card>
        </div>
      );
    case "choose-app":
      return (
        <WizardFrame step={1} title="Choose an authenticator app">
          <StepChooseApp />
        </WizardFrame>
      );
    case "scan":
      return (
        <WizardFrame step={2} title="Scan the QR code">
          <StepScan otpauthUri={state.otpauthUri} secret={state.secret} />
        </WizardFrame>
      );
    default:
      return <VerifyAndSaveCodes stage={state.step} appName={state.appName} email={state.email} />;
  }
}
