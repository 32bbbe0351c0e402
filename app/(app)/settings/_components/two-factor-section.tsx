import Link from "next/link";
import type { SecurityKeySummary } from "@/db/security-key-queries";
import type { TwoFactorStatus } from "@/db/two-factor-queries";
import { DisableTwoFactor } from "./disable-two-factor";
import { NewBackupCodes } from "./new-backup-codes";
import { SecurityKeysSection } from "./security-keys-section";
import { formatDate } from "@/lib/format-time";

const linkButton =
  "inline-flex min-h-11 items-center rounded-md px-4 py-2 text-sm font-semibold focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
const primaryLink = `${linkButton} bg-indigo-700 text-white hover:bg-indigo-800`;
const secondaryLink = `${linkButton} border border-slate-400 bg-white text-slate-900 hover:bg-slate-50`;

type TwoFactorSectionProps = { status: TwoFactorStatus; appName: string; email: string; securityKeys: SecurityKeySummary[] };

export function TwoFactorSection({ status, appName, email, securityKeys }: TwoFactorSectionProps) {
  if (!status) {
    return (
      <div className="flex flex-col items-start gap-3">
        <p>Two-factor authentication is off</p>
        <p className="text-sm text-slate-700">
          Add a second step to signing in: a code from an app on your phone, so a stolen password is not enough.
        </p>
        <Link href="/settings/two-factor" className={primaryLink}>
          Enable Two-Factor Authentication
        </Link>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col items-start gap-3">
        <p>
          <span className="font-medium">Two-factor authentication is on</span>{" "}
          <span className="text-slate-700">since {formatDate(status.enabledAt)}</span>
        </p>
        <div className="flex flex-wrap gap-3">
          <Link href="/settings/change-authenticator" className={secondaryLink}>
            Change authenticator app
          </Link>
          <DisableTwoFactor securityKeyCount={securityKeys.length} />
        </div>
      </div>
      <section id="backup-codes" aria-labelledby="backup-codes-heading" className="flex flex-col items-start gap-3">
        <h4 id="backup-codes-heading" className="font-medium">
          Backup codes
        </h4>
        <p className="text-sm text-slate-700">
          {status.backupCodesLeft} of 10 backup codes left. Each works once, for when you can&apos;t use your app.
        </p>
        <NewBackupCodes appName={appName} email={email} />
      </section>
      <SecurityKeysSection keys={securityKeys} />
    </div>
  );
}
