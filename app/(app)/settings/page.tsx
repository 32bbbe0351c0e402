import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireUser();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">Settings</h1>
      <Card>
        <section aria-labelledby="user-options-heading" className="flex flex-col gap-3">
          <h2 id="user-options-heading" className="text-xl font-semibold">
            User Options
          </h2>
          <h3 className="font-medium">Two-factor authentication</h3>
          <p>Two-factor authentication is off</p>
        </section>
      </Card>
    </div>
  );
}
