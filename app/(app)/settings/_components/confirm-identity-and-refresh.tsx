"use client";

import { useRouter } from "next/navigation";
import { ConfirmIdentityForm } from "./confirm-identity-form";

/** For pages whose server-side step changes once the user has confirmed it's them. */
export function ConfirmIdentityAndRefresh({ twoFactorOn }: { twoFactorOn: boolean }) {
  const router = useRouter();
  return <ConfirmIdentityForm twoFactorOn={twoFactorOn} onConfirmed={() => router.refresh()} />;
}
