import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

const appName = process.env.APP_NAME ?? "Acme";

export const metadata: Metadata = {
  title: { default: appName, template: `%s · ${appName}` },
  description: "Account security: sign-in and two-factor authentication.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
