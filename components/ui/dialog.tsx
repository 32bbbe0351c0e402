"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

type DialogProps = { open: boolean; title: string; onClose: () => void; dismissible?: boolean; children: ReactNode };

/** The native <dialog>: modal, focus kept inside, Escape closes it, focus returns to the opener. */
export function Dialog({ open, title, onClose, dismissible = true, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        if (!dismissible) event.preventDefault();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-6 shadow-xl backdrop:bg-slate-900/50"
    >
      <h2 id={titleId} className="mb-4 text-xl font-semibold">
        {title}
      </h2>
      {open && children}
    </dialog>
  );
}
