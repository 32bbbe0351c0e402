// The table: one row per figure, with its budget and whether it was met.

export const PASS = "ok";
export const MISS = "MISSED";
export const INFO = "info";
export const UNMEASURED = "NOT MEASURED";

export const ms = (value) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : "—");
export const us = (value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} µs`;
// Three decimals: a ratio judged against 1.2 must not print as 1.20 when it is 1.204.
export const times = (value) => `${value.toFixed(value < 10 ? 3 : 1)}×`;
export const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
export const MB = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

export class Report {
  rows = [];

  section(title) {
    this.rows.push({ title });
  }

  /** A figure with a budget: `met` decides ok/MISSED; `met === null` means it could not be measured. */
  check(figure, measured, budget, met) {
    this.rows.push({ figure, measured, budget, status: met === null ? UNMEASURED : met ? PASS : MISS });
  }

  info(figure, measured) {
    this.rows.push({ figure, measured, budget: "", status: INFO });
  }

  get failed() {
    return this.rows.filter((row) => row.status === MISS || row.status === UNMEASURED);
  }

  print(write = console.log) {
    const rows = this.rows.filter((row) => !row.title);
    const width = (key, max) => Math.min(max, Math.max(...rows.map((row) => String(row[key]).length)));
    const [wf, wm, wb] = [width("figure", 66), width("measured", 60), width("budget", 26)];
    const line = "-".repeat(wf + wm + wb + 20);
    write(line);
    write(`${"figure".padEnd(wf)}  ${"measured".padEnd(wm)}  ${"budget".padEnd(wb)}  result`);
    for (const row of this.rows) {
      if (row.title) {
        write(line);
        write(row.title);
        continue;
      }
      write(`${row.figure.padEnd(wf)}  ${row.measured.padEnd(wm)}  ${row.budget.padEnd(wb)}  ${row.status}`);
    }
    write(line);
  }
}
