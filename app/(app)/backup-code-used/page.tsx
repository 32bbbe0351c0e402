import type { Metadata } from "next";
import Link from "next/link";
import { countUsableBackupCodes } from "@/db/two-factor-queries";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { safeCallbackUrl } from "@/lib/callback-url";

export const metadata: Metadata = { title: "Signed in with a backup code" };

const LOW_BACKUP_CODES = 3;

type BackupCodeUsedPageProps = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

/** Shown right after a backup-code sign-in: how many are left, and a nudge when few are. */
export default async function BackupCodeUsedPage({ searchParams }: BackupCodeUsedPageProps) {
  const user = await requireUser();
  const { callbackUrl } = await searchParams;
  const left = countUsableBackupCodes(user.id);
  const destination = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : null);
  return (
    <Card className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">You signed in with a backup code</h1>
      <p>
        That code is now used up. You have {left} backup {left === 1 ? "code" : "codes"} left.
      </p>
      {left <= LOW_BACKUP_CODES && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
          You are running low on backup codes. If you lost your phone, make new backup codes now in{" "}
          <Link href="/settings#backup-codes" className="font-medium underline">
            Settings → User Options
          </Link>
          .
        </p>
      )}
      <div>
        <Link href={destination} className="font-medium text-indigo-700 underline">
          Continue
        </Link>
      </div>
    </Card>
  );
}
