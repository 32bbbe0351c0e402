import Link from "next/link";
import type { TwoFactorStatus } from "@/db/two-factor-queries";

const linkButton =
  "inline-flex min-h-11 items-center rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-800 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

function formatDate(ms: number): string {
  return new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

export function TwoFactorSection({ status }: { status: TwoFactorStatus }) {
  if (!status) {
    return (
      <div className="flex flex-col items-start gap-3">
        <p>Two-factor authentication is off</p>
        <p className="text-sm text-slate-700">
          Add a second step to signing in: a code from an app on your phone, so a stolen password is not enough.
        </p>
        <Link href="/settings/two-factor" className={linkButton}>
          Enable Two-Factor Authentication
        </Link>
      </div>
    );
  }
  return (
    <div className="flex flex-col items-start gap-3">
      <p>
        <span className="font-medium">Two-factor authentication is on</span>{" "}
        <span className="text-slate-700">since {formatDate(status.enabledAt)}</span>
      </p>
      <p className="text-sm text-slate-700">
        Backup codes: {status.backupCodesLeft} of 10 left.
      </p>
    </div>
  );
}
