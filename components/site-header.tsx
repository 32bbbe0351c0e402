import Link from "next/link";
import { SignOutButton } from "./sign-out-button";

export function SiteHeader({ appName, email }: { appName: string; email: string }) {
  return (
    <header className="border-b border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="text-lg font-bold text-slate-900">
          {appName}
        </Link>
        <nav aria-label="Account" className="flex items-center gap-4">
          <span className="hidden text-sm text-slate-600 sm:inline">{email}</span>
          <Link href="/settings" className="text-sm font-medium text-indigo-700 underline">
            Settings
          </Link>
          <SignOutButton />
        </nav>
      </div>
    </header>
  );
}
