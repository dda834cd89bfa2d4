/** Number and table formatting shared by the terminal and Markdown reports. */
import type { BacktestSummary, Tally } from "./summary";

export const count = (n: number): string => Math.round(n).toLocaleString("en-US");

export const perDay = (tally: Tally, days: number): string =>
  days === 0 ? "-" : `${(tally.alerts / days).toFixed(tally.alerts / days >= 10 ? 0 : 1)} avg, ${count(tally.maxPerDay)} max`;

export const actors = (tally: Tally): string => tally.topActors.map(([who, n]) => `${who} (${count(n)})`).join(", ") || "-";

export const bytes = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;

export const share = (part: number, whole: number): string => (whole === 0 ? "0%" : `${Math.round((100 * part) / whole)}%`);

/** The window the logs cover, as days. */
export function span(summary: BacktestSummary): string {
  const { days } = summary;
  if (days.length === 0) return "no dated records";
  return days.length === 1 ? `${days[0]} (1 day with records)` : `${days[0]} .. ${days[days.length - 1]} (${days.length} days with records)`;
}

/** Left-aligned text columns, right-aligned numeric ones. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}
