"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { SecondFactorFields } from "@/components/auth/second-factor-fields";
import { BackupCodesPanel } from "@/components/two-factor/backup-codes-panel";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerAction } from "@/components/use-server-action";
import { generateNewBackupCodesAction } from "../actions";

type NewBackupCodesProps = { appName: string; email: string };

export function NewBackupCodes({ appName, email }: NewBackupCodesProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const generate = useServerAction(generateNewBackupCodesAction, (data) => setCodes(data.codes));

  function close() {
    setOpen(false);
    setCodes(null);
    router.refresh();
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Generate new backup codes
      </Button>
      {/* Once the new codes show, the old ones are gone: only "Return to Settings" closes it. */}
      <Dialog open={open} title="Generate new backup codes" onClose={close} dismissible={codes === null}>
        {codes ? (
          <BackupCodesPanel codes={codes} appName={appName} email={email} pending={false} error={null} onAcknowledge={close} />
        ) : (
          <form onSubmit={generate.onSubmit} noValidate className="flex flex-col gap-4" aria-label="Generate new backup codes">
            <p>Your current backup codes stop working as soon as the new ones are made.</p>
            <p>To confirm, enter a code from your authenticator app or a backup code.</p>
            <FormAlert message={generate.message} />
            <SecondFactorFields errors={generate.fieldErrors.code} autoFocus onSwitch={generate.clear} />
            <div className="flex flex-wrap gap-3">
              <Button type="submit" disabled={generate.pending}>
                Generate new codes
              </Button>
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
