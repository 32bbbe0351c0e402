"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useRefreshToConfirmIdentity } from "@/components/use-refresh-to-confirm-identity";
import { useServerAction } from "@/components/use-server-action";
import { beginEnrollment } from "../actions";
import { AUTHENTICATOR_APPS } from "./authenticator-apps";

export function StepChooseApp() {
  const router = useRouter();
  const { message, reason, pending, run } = useServerAction(beginEnrollment, () => router.refresh());
  useRefreshToConfirmIdentity(reason);
  return (
    <>
      <p>Install an authenticator app on your phone. It shows a new 6-digit code every 30 seconds.</p>
      <ul className="flex flex-col divide-y divide-slate-200 rounded-md border border-slate-200">
        {AUTHENTICATOR_APPS.map((app) => (
          <li key={app.name} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
            <span className="font-medium">{app.name}</span>
            <span className="flex gap-3 text-sm">
              {app.links.map((link) => (
                <a
                  key={link.label}
                  href={link.href}
                  target="_blank"
                  rel="noopener noreferrer"
                  className="text-indigo-700 underline"
                >
                  {link.label}
                  <span className="sr-only"> for {app.name} (opens in a new tab)</span>
                </a>
              ))}
            </span>
          </li>
        ))}
      </ul>
      <p className="text-sm text-slate-700">Any app that supports TOTP codes works, including the one in your password manager.</p>
      <FormAlert message={message} />
      <div>
        <Button onClick={() => run()} disabled={pending}>
          Continue
        </Button>
      </div>
    </>
  );
}
