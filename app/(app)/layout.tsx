import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header";
import { getAccount } from "@/db/queries";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const account = getAccount(user.id);
  return (
    <>
      <SiteHeader appName={env().APP_NAME} email={account?.email ?? ""} />
      <main className="mx-auto w-full max-w-3xl px-4 py-8">{children}</main>
    </>
  );
}
