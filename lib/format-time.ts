/** "14:05 UTC": the server does not know the reader's time zone, so it says which one it uses. */
export function formatClockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

export function tooManyAttemptsMessage(until: number): string {
  return `Too many attempts. Try again after ${formatClockTime(until)}.`;
}

/** "3 December 2026", in UTC like every other time the server shows. */
export function formatDate(ms: number): string {
  return new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}
