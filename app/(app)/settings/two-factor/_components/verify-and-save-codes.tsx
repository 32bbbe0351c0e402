"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { AuthenticationCodeField } from "@/components/auth/authentication-code-field";
import { BackupCodesPanel } from "@/components/two-factor/backup-codes-panel";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useRefreshToConfirmIdentity } from "@/components/use-refresh-to-confirm-identity";
import { useServerAction } from "@/components/use-server-action";
import { CONFIRM_IDENTITY } from "@/lib/action-result";
import { ConfirmIdentityForm } from "../../_components/confirm-identity-form";
import {
  acknowledgeBackupCodes,
  goBackToScanStep,
  renewEnrollmentBackupCodes,
  verifyEnrollmentCode,
} from "../actions";
import { WizardFrame } from "./wizard-frame";

function acknowledgedForm(): FormData {
  const form = new FormData();
  form.set("acknowledged", "on");
  return form;
}

type VerifyAndSaveCodesProps = { stage: "verify" | "codes"; appName: string; email: string };

/** Steps 3 and 4 share state: the backup codes come back from Verify and are shown only here. */
export function VerifyAndSaveCodes({ stage, appName, email }: VerifyAndSaveCodesProps) {
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  const verify = useServerAction(verifyEnrollmentCode, (data) => setCodes(data.codes));
  const back = useServerAction(goBackToScanStep, () => router.refresh());
  const renew = useServerAction(renewEnrollmentBackupCodes, (data) => setCodes(data.codes));
  const acknowledge = useServerAction(acknowledgeBackupCodes, () => {
    router.push("/settings?notice=two-factor-on");
    router.refresh();
  });
  useRefreshToConfirmIdentity(verify.reason, renew.reason);

  if (codes) {
    return (
      <WizardFrame step={4} title="Save your backup codes">
        {acknowledge.reason === CONFIRM_IDENTITY ? (
          // Confirmed here, not on a refreshed page: the codes on screen are the ones saved.
          <ConfirmIdentityForm twoFactorOn={false} onConfirmed={() => acknowledge.run(acknowledgedForm())} />
        ) : null}
        <BackupCodesPanel
          codes={codes}
          appName={appName}
          email={email}
          pending={acknowledge.pending}
          error={acknowledge.message}
          onAcknowledge={acknowledge.run}
        />
      </WizardFrame>
    );
  }

  if (stage === "codes") {
    return (
      <WizardFrame step={4} title="Save your backup codes">
        <p>Your code was accepted. Backup codes are shown only once, so make a new set to save now.</p>
        <FormAlert message={renew.message} />
        <div>
          <Button onClick={() => renew.run()} disabled={renew.pending}>
            Show new backup codes
          </Button>
        </div>
      </WizardFrame>
    );
  }

  return (
    <WizardFrame step={3} title="Enter the code from your app">
      <form onSubmit={verify.onSubmit} noValidate className="flex flex-col gap-4" aria-label="Verify code">
        <p>Enter the 6-digit code your authenticator app shows for this account.</p>
        <FormAlert message={verify.message ?? back.message} />
        <AuthenticationCodeField errors={verify.fieldErrors.code} />
        <div className="flex flex-wrap gap-3">
          <Button type="submit" disabled={verify.pending}>
            Verify
          </Button>
          <Button variant="secondary" onClick={() => back.run()} disabled={back.pending}>
            Back to the QR code
          </Button>
        </div>
      </form>
    </WizardFrame>
  );
}
