import { QRCodeSVG } from "qrcode.react";
import { formatSetupKey } from "@/lib/totp";
import { CopyButton } from "@/components/ui/copy-button";

type AuthenticatorQrProps = { otpauthUri: string; secret: string };

/** Drawn on the server: the secret never goes to a third party. "Can't scan?" shows the key. */
export function AuthenticatorQr({ otpauthUri, secret }: AuthenticatorQrProps) {
  return (
    <div className="flex flex-col gap-6 sm:flex-row sm:items-start">
      <div className="self-center rounded-md border border-slate-200 bg-white p-3 sm:self-start">
        <QRCodeSVG
          value={otpauthUri}
          size={200}
          marginSize={4}
          role="img"
          aria-label="QR code for your authenticator app"
          className="h-auto max-w-full"
        />
      </div>
      <details className="flex-1 rounded-md border border-slate-200 p-3">
        <summary className="cursor-pointer font-medium text-indigo-700">Can&apos;t scan?</summary>
        <div className="mt-3 flex flex-col gap-3">
          <p className="text-sm">Type this setup key into your app instead (time-based, 6 digits):</p>
          <p className="font-mono text-lg tracking-wide break-all" aria-label="Setup key">
            {formatSetupKey(secret)}
          </p>
          <CopyButton text={secret} label="Copy setup key" />
        </div>
      </details>
    </div>
  );
}
