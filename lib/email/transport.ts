import "server-only";
import fs from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

export type Mail = { to: string; subject: string; text: string };

let smtp: Transporter | undefined;

function outboxDirectory(): string {
  const configured = env().EMAIL_OUTBOX_DIR;
  if (!configured) return path.join(process.cwd(), "outbox");
  return path.isAbsolute(configured) ? configured : path.join(/* turbopackIgnore: true */ process.cwd(), configured);
}

/** Over SMTP when SMTP_URL is set; otherwise each message becomes an .eml file developers can open. */
export async function sendMail(mail: Mail): Promise<void> {
  const { SMTP_URL, EMAIL_FROM, APP_NAME } = env();
  const message = { from: EMAIL_FROM ?? `${APP_NAME} <no-reply@localhost>`, ...mail };
  if (SMTP_URL) {
    // Well inside the outbox's 60-second lease, so a stuck server cannot outlast it.
    smtp ??= nodemailer.createTransport({ url: SMTP_URL, connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
    await smtp.sendMail(message);
    return;
  }
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }).sendMail(message);
  const directory = outboxDirectory();
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${Date.now()}-${info.messageId.replace(/[^a-zA-Z0-9]/g, "").slice(0, 24)}.eml`);
  fs.writeFileSync(file, info.message as Buffer);
  console.info(`[email] "${mail.subject}" to ${mail.to}: ${file}`);
}
