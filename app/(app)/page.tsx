import Link from "next/link";
import { requireUser } from "@/lib/auth/session";

export default async function HomePage() {
  await requireUser();
  return (
    <section className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">Home</h1>
      <p>You are signed in.</p>
      <p>
        Protect your account with a second factor in{" "}
        <Link href="/settings" className="font-medium text-indigo-700 underline">
          Settings
        </Link>
        .
      </p>
    </section>
  );
}
