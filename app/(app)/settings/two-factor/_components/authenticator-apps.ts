export type AuthenticatorApp = { name: string; links: { label: string; href: string }[] };

export const AUTHENTICATOR_APPS: AuthenticatorApp[] = [
  {
    name: "Google Authenticator",
    links: [
      { label: "App Store", href: "https://apps.apple.com/app/google-authenticator/id388497605" },
      { label: "Google Play", href: "https://play.google.com/store/apps/details?id=com.google.android.apps.authenticator2" },
    ],
  },
  {
    name: "Microsoft Authenticator",
    links: [
      { label: "App Store", href: "https://apps.apple.com/app/microsoft-authenticator/id983156458" },
      { label: "Google Play", href: "https://play.google.com/store/apps/details?id=com.azure.authenticator" },
    ],
  },
  {
    name: "Authy",
    links: [
      { label: "App Store", href: "https://apps.apple.com/app/twilio-authy/id494168017" },
      { label: "Google Play", href: "https://play.google.com/store/apps/details?id=com.authy.authy" },
    ],
  },
  {
    name: "1Password",
    links: [
      { label: "App Store", href: "https://apps.apple.com/app/1password-password-manager/id1511601750" },
      { label: "Google Play", href: "https://play.google.com/store/apps/details?id=com.onepassword.android" },
      { label: "Download", href: "https://1password.com/downloads" },
    ],
  },
  {
    name: "Bitwarden",
    links: [
      { label: "App Store", href: "https://apps.apple.com/app/bitwarden-authenticator/id6497335175" },
      { label: "Google Play", href: "https://play.google.com/store/apps/details?id=com.bitwarden.authenticator" },
      { label: "Download", href: "https://bitwarden.com/download/" },
    ],
  },
];
