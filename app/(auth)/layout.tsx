import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return <main className="mx-auto w-full max-w-md px-4 py-10 sm:py-16">{children}</main>;
}
