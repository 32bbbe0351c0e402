import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { getAccount } from "@/db/queries";
import { listSecurityEvents } from "@/db/activity-queries";
import { formatActivityCursor, parseActivityCursor } from "@/lib/activity-cursor";
import { listSecurityKeys } from "@/db/security-key-queries";
import { getTwoFactorStatus } from "@/db/two-factor-queries";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { ChangePassword } from "./_components/change-password";
import { SecurityActivity } from "./_components/security-activity";
import { SettingsNotice } from "./_components/settings-notice";
import { SignOutOtherSessions } from "./_components/sign-out-other-sessions";
import { TwoFactorSection } from "./_components/two-factor-section";

export const metadata: Metadata = { title: "Settings" };

type SettingsPageProps = { searchParams: Promise<{ notice?: string | string[]; activityBefore?: string | string[] }> };

export default async function SettingsPage({ searchParams }: SettingsPageProps) {
  const user = await requireUser();
  const { notice, activityBefore } = await searchParams;
  const before = parseActivityCursor(activityBefore);
  const activity = listSecurityEvents(user.id, { before });
  const twoFactorStatus = getTwoFactorStatus(user.id);
  const email = getAccount(user.id)?.email ?? "";
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">Settings</h1>
      <SettingsNotice notice={typeof notice === "string" ? notice : undefined} />
      <Card>
        <section aria-labelledby="user-options-heading" className="flex flex-col gap-6">
          <h2 id="user-options-heading" className="text-xl font-semibold">
            User Options
          </h2>
          <section aria-labelledby="two-factor-heading" className="flex flex-col gap-3">
            <h3 id="two-factor-heading" className="text-lg font-medium">
              Two-factor authentication
            </h3>
            <TwoFactorSection
              status={twoFactorStatus}
              appName={env().APP_NAME}
              email={email}
              securityKeys={twoFactorStatus ? listSecurityKeys(user.id) : []}
            />
          </section>
          <section aria-labelledby="password-heading" className="flex flex-col gap-3">
            <h3 id="password-heading" className="text-lg font-medium">
              Password
            </h3>
            <ChangePassword />
          </section>
          <section aria-labelledby="sessions-heading" className="flex flex-col gap-3">
            <h3 id="sessions-heading" className="text-lg font-medium">
              Sessions
            </h3>
            <SignOutOtherSessions twoFactorOn={twoFactorStatus !== null} />
          </section>
        </section>
      </Card>
      <Card>
        <SecurityActivity
          events={activity.events}
          olderHref={activity.older ? `/settings?activityBefore=${formatActivityCursor(activity.older)}#activity-heading` : null}
          paged={before !== null}
        />
      </Card>
    </div>
  );
}
