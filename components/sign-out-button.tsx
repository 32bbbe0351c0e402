"use client";

import { Button } from "@/components/ui/button";
import { signOut } from "@/lib/auth/nextauth-client";

export function SignOutButton() {
  return (
    <Button variant="secondary" onClick={() => signOut("/login")}>
      Sign out
    </Button>
  );
}
