import { FormAlert } from "@/components/ui/form-alert";

// Fixed messages by key: the URL never carries text that ends up on the page.
const NOTICES: Record<string, string> = {
  "two-factor-on": "Two-factor authentication is on. From now on, signing in asks for a code from your app.",
  "two-factor-off": "Two-factor authentication is off. Signing in now needs only your password.",
  "authenticator-changed": "Your new authenticator app is set up. Codes from the old app no longer work.",
};

export function SettingsNotice({ notice }: { notice: string | undefined }) {
  return <FormAlert tone="success" message={notice ? NOTICES[notice] : null} />;
}
