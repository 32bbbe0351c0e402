"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { SecondFactorFields } from "@/components/auth/second-factor-fields";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { TextField } from "@/components/ui/text-field";
import { useServerAction } from "@/components/use-server-action";
import type { SecurityKeySummary } from "@/db/security-key-queries";
import { removeSecurityKeyAction, renameSecurityKeyAction } from "../security-keys/actions";
import { formatDate } from "@/lib/format-time";

export function SecurityKeyRow({ securityKey }: { securityKey: SecurityKeySummary }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<"rename" | "remove" | null>(null);
  const done = () => {
    setDialog(null);
    router.refresh();
  };
  const rename = useServerAction(renameSecurityKeyAction, done);
  const remove = useServerAction(removeSecurityKeyAction, done);
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3">
      <div>
        <p className="font-medium">{securityKey.name}</p>
        <p className="text-sm text-slate-700">
          Added {formatDate(securityKey.createdAt)} ·{" "}
          {securityKey.lastUsedAt ? `last used ${formatDate(securityKey.lastUsedAt)}` : "never used"}
        </p>
      </div>
      <div className="flex gap-2">
        <Button variant="secondary" onClick={() => setDialog("rename")} aria-label={`Rename ${securityKey.name}`}>
          Rename
        </Button>
        <Button variant="secondary" onClick={() => setDialog("remove")} aria-label={`Remove ${securityKey.name}`}>
          Remove
        </Button>
      </div>
      <Dialog open={dialog === "rename"} title={`Rename “${securityKey.name}”`} onClose={() => setDialog(null)}>
        <form onSubmit={rename.onSubmit} noValidate className="flex flex-col gap-4" aria-label="Rename security key">
          <input type="hidden" name="keyId" value={securityKey.id} />
          <FormAlert message={rename.message} />
          <TextField label="Key name" name="name" defaultValue={securityKey.name} required maxLength={64} errors={rename.fieldErrors.name} />
          <div className="flex gap-3">
            <Button type="submit" disabled={rename.pending}>
              Save name
            </Button>
            <Button variant="secondary" onClick={() => setDialog(null)}>
              Cancel
            </Button>
          </div>
        </form>
      </Dialog>
      <Dialog open={dialog === "remove"} title={`Remove “${securityKey.name}”?`} onClose={() => setDialog(null)}>
        <form onSubmit={remove.onSubmit} noValidate className="flex flex-col gap-4" aria-label="Remove security key">
          <input type="hidden" name="keyId" value={securityKey.id} />
          <p>This key will no longer sign you in. To confirm, enter a code from your authenticator app or a backup code.</p>
          <FormAlert message={remove.message} />
          <SecondFactorFields errors={remove.fieldErrors.code} autoFocus onSwitch={remove.clear} />
          <div className="flex gap-3">
            <Button type="submit" variant="danger" disabled={remove.pending}>
              Remove
            </Button>
            <Button variant="secondary" onClick={() => setDialog(null)}>
              Cancel
            </Button>
          </div>
        </form>
      </Dialog>
    </li>
  );
}
