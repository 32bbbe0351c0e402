type FormAlertProps = { message?: string | null; tone?: "error" | "success" };

/** Rendered only when there is a message, so screen readers announce it as it appears. */
export function FormAlert({ message, tone = "error" }: FormAlertProps) {
  if (!message) return null;
  const colours = tone === "error" ? "border-red-300 bg-red-50 text-red-800" : "border-green-300 bg-green-50 text-green-800";
  return (
    <p role={tone === "error" ? "alert" : "status"} className={`rounded-md border px-3 py-2 text-sm ${colours}`}>
      {message}
    </p>
  );
}
