"use client";

import { useState, useTransition } from "react";
import type { ActionResult, FieldErrors } from "@/lib/action-result";

type ServerAction<T> = (formData: FormData) => Promise<ActionResult<T>>;
/** May return a message to show when the follow-up after a successful action fails. */
type OnSuccess<T> = (data: T) => void | string | Promise<void | string>;

/**
 * Runs a server action from a form or a button, keeps its error for display, and hands a
 * success to `onSuccess`. An action that throws (network, server down) becomes a message too.
 */
export function useServerAction<T>(action: ServerAction<T>, onSuccess: OnSuccess<T>) {
  const [message, setMessage] = useState<string | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();

  function run(formData: FormData = new FormData()) {
    startTransition(async () => {
      let result: ActionResult<T>;
      try {
        result = await action(formData);
      } catch {
        result = { status: "error", message: "Something went wrong on our side. Please try again." };
      }
      if (result.status === "error") {
        setMessage(result.message);
        setFieldErrors(result.fieldErrors ?? {});
        setReason(result.reason ?? null);
        return;
      }
      setMessage(null);
      setReason(null);
      setFieldErrors({});
      const followUpError = await onSuccess(result.data);
      if (followUpError) setMessage(followUpError);
    });
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }

  function clear() {
    setMessage(null);
    setFieldErrors({});
  }

  return { message, reason, fieldErrors, pending, run, onSubmit, clear };
}
