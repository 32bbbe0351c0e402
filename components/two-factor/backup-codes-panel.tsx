"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { backupCodesFile } from "./backup-codes-file";

type BackupCodesPanelProps = {
  codes: string[];
  appName: string;
  email: string;
  pending: boolean;
  error: string | null;
  onAcknowledge: (formData: FormData) => void;
};

/** Shown once: the codes, ways to keep them, and the acknowledgement that finishes the change. */
export function BackupCodesPanel({ codes, appName, email, pending, error, onAcknowledge }: BackupCodesPanelProps) {
  const [acknowledged, setAcknowledged] = useState(false);
  const [status, setStatus] = useState("");
  const file = backupCodesFile(appName, email, codes, new Date());

  function download() {
    const url = URL.createObjectURL(new Blob([file.contents], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = file.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setStatus(`Downloaded ${file.fileName}.`);
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(file.contents);
      setStatus("Copied the codes to the clipboard.");
    } catch {
      setStatus("Copying is blocked in this browser: use Download instead.");
    }
  }

  return (
    <form
      className="flex flex-col gap-4"
      aria-label="Backup codes"
      onSubmit={(event) => {
        event.preventDefault();
        onAcknowledge(new FormData(event.currentTarget));
      }}
    >
      <p>
        If you lose your phone, each of these codes lets you sign in once. They are shown only now: keep them somewhere
        safe, like a password manager.
      </p>
      <ul aria-label="Your backup codes" className="grid grid-cols-2 gap-2 rounded-md bg-slate-100 p-4 font-mono text-base">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-3 print:hidden">
        <Button variant="secondary" onClick={download}>
          Download
        </Button>
        <Button variant="secondary" onClick={copy}>
          Copy
        </Button>
        <Button variant="secondary" onClick={() => window.print()}>
          Print
        </Button>
        <span role="status" className="text-sm text-slate-700">
          {status}
        </span>
      </div>
      <label className="flex items-center gap-3 print:hidden">
        <input
          type="checkbox"
          name="acknowledged"
          checked={acknowledged}
          onChange={(event) => setAcknowledged(event.target.checked)}
          className="h-5 w-5"
        />
        I have downloaded my backup codes
      </label>
      <FormAlert message={error} />
      <div className="print:hidden">
        <Button type="submit" disabled={!acknowledged || pending}>
          Return to Settings
        </Button>
      </div>
    </form>
  );
}
