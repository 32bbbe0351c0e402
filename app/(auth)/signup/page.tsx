import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { SignupForm } from "./signup-form";

export const metadata: Metadata = { title: "Create account" };

export default async function SignupPage() {
  if (await getCurrentUser()) redirect("/");
  return (
    <Card>
      <h1 className="mb-6 text-2xl font-bold text-slate-900">Create your account</h1>
      <SignupForm />
    </Card>
  );
}
