export type BackupCodesFile = { fileName: string; contents: string };

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "account";
}

/** The text file people keep: the app, the account and the date, then the codes. */
export function backupCodesFile(appName: string, email: string, codes: string[], date: Date): BackupCodesFile {
  const day = date.toISOString().slice(0, 10);
  const contents = [
    `${appName} backup codes`,
    `Account: ${email}`,
    `Generated: ${day}`,
    "",
    "Each code works once. Use one to sign in if you cannot use your authenticator app.",
    "Keep this file somewhere safe, like a password manager.",
    "",
    ...codes,
    "",
  ].join("\n");
  return { fileName: `${slug(appName)}-backup-codes.txt`, contents };
}
