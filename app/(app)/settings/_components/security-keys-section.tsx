import type { SecurityKeySummary } from "@/db/security-key-queries";
import { AddSecurityKey } from "./add-security-key";
import { SecurityKeyRow } from "./security-key-row";

export function SecurityKeysSection({ keys }: { keys: SecurityKeySummary[] }) {
  return (
    <section aria-labelledby="security-keys-heading" className="flex flex-col gap-3">
      <h4 id="security-keys-heading" className="font-medium">
        Security keys
      </h4>
      <p className="text-sm text-slate-700">
        A security key or passkey (like a YubiKey) can stand in for the code from your app when you sign in.
      </p>
      {keys.length > 0 ? (
        <ul aria-label="Your security keys" className="divide-y divide-slate-200">
          {keys.map((key) => (
            <SecurityKeyRow key={key.id} securityKey={key} />
          ))}
        </ul>
      ) : (
        <p className="text-sm">No security keys yet.</p>
      )}
      <AddSecurityKey />
    </section>
  );
}
