import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { getTwoFactorStatus } from "@/db/two-factor-queries";
import { requireUser } from "@/lib/auth/session";
import { TwoFactorSection } from "./_components/two-factor-section";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const twoFactorStatus = getTwoFactorStatus(user.id);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">Settings</h1>
      <Card>
        <section aria-labelledby="user-options-heading" className="flex flex-col gap-3">
          <h2 id="user-options-heading" className="text-xl font-semibold">
            User Options
          </h2>
          <h3 className="font-medium">Two-factor authentication</h3>
          <TwoFactorSection status={twoFactorStatus} />
        </section>
      </Card>
    </div>
  );
}
