import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { safeCallbackUrl } from "@/lib/callback-url";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

type LoginPageProps = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const { callbackUrl } = await searchParams;
  const destination = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : null);
  if (await getCurrentUser()) redirect(destination);
  return (
    <Card>
      <h1 className="mb-6 text-2xl font-bold text-slate-900">Sign in</h1>
      <LoginForm callbackUrl={destination} />
    </Card>
  );
}
