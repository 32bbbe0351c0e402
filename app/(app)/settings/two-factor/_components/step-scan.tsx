import { AuthenticatorQr } from "@/components/two-factor/authenticator-qr";
import { ScanStepActions } from "./scan-step-actions";

type StepScanProps = { otpauthUri: string; secret: string };

export function StepScan({ otpauthUri, secret }: StepScanProps) {
  return (
    <>
      <p>Open your authenticator app, choose to add an account, and scan this QR code.</p>
      <AuthenticatorQr otpauthUri={otpauthUri} secret={secret} />
      <ScanStepActions />
    </>
  );
}
