/** The terminal report (standard output). */
import { actors, bytes, count, perDay, share, span, table } from "./format";
import type { BacktestSummary } from "./summary";

export function renderText(s: BacktestSummary): string {
  const c = s.counters;
  const days = s.days.length;
  const out: string[] = [
    `Backtest of ${s.source}`,
    `  ${count(c.records)} records${c.read !== c.records ? ` in the window (of ${count(c.read)} read)` : ""} in ${count(c.files)} files (${bytes(c.bytes)}), ${span(s)}`,
    `  ${count(c.delivered)} reach the rules in us-east-1; ${count(c.readOnly)} are read-only management events ENABLED rules never receive; ` +
      `${count(c.notForwarded)} from other regions are not forwarded${c.notDelivered > 0 ? `; ${count(c.notDelivered)} are of a type EventBridge does not receive` : ""}`,
    `  ${s.seconds.toFixed(2)} s, ${count(s.recordsPerSecond)} records/s`,
    ...s.notes.map((n) => `  ${n}`),
    "",
    `Rules: ${count(s.totalAlerts)} alerts`,
    ...table(
      ["rule", "alerts", "per day", "top actors"],
      s.rules.map((r) => [r.name, count(r.alerts), perDay(r, days), actors(r)]),
      [false, true, false, false],
    ).map((l) => `  ${l}`),
    "",
    "Presets",
    ...table(
      ["preset", "severity", "alerts", "per day", "top actors"],
      s.presets.map((p) => [p.preset, p.severity ?? "-", count(p.alerts), perDay(p, days), actors(p)]),
      [false, false, true, false, false],
    ).map((l) => `  ${l}`),
  ];
  const missed = s.rules.filter((r) => r.unwatched > 0);
  if (missed.length > 0) {
    out.push("", "Matched in regions that do not reach us-east-1 (not alerted as deployed):");
    for (const r of missed) out.push(`  ${r.name}: ${count(r.unwatched)}`);
  }
  out.push("", ...candidatesText(s));
  return `${out.join("\n")}\n`;
}

function candidatesText(s: BacktestSummary): string[] {
  const head = `ignored_principal_arns candidates (principals behind the ${count(s.suppressibleAlerts)} alerts of suppressible rules; never root, never non-suppressible presets):`;
  if (s.candidates.length === 0) return [head, "  none"];
  const saved = s.candidates.reduce((sum, c) => sum + c.alerts, 0);
  return [
    head,
    ...s.candidates.map(
      (c) => `  ${c.principal}  saves ${count(c.alerts)} alerts (${share(c.alerts, s.suppressibleAlerts)} of suppressible, ${share(c.alerts, s.totalAlerts)} of all)`,
    ),
    `  all ${s.candidates.length} together save ${count(saved)} of ${count(s.totalAlerts)} alerts (${share(saved, s.totalAlerts)})`,
  ];
}
