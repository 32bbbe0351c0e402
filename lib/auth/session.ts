import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { authOptions } from "./options";

export type CurrentUser = { id: number; authTime: number };

export const SIGNED_OUT_MESSAGE = "Your session has ended. Sign in again to continue.";

/**
 * The signed-in user, with the session version already checked against the database. Once per
 * request (React's cache): the layout and the page both ask, and one JWT decode and read serve both.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  await connection(); // per request, never prerendered at build time
  const session = await getServerSession(authOptions());
  const id = Number(session?.user?.id);
  if (!session || !Number.isSafeInteger(id) || id <= 0) return null;
  return { id, authTime: session.authTime };
});

/** For pages: the real gate (the proxy is only the fast, optimistic one). */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}
