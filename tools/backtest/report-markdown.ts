/** report.md: the terminal report's content as Markdown, with the chart and links to the rendered alerts. */
import { actors, bytes, count, perDay, share, span } from "./format";
import type { BacktestSummary } from "./summary";

export const CHART_FILE = "alerts-per-day.svg";
export const alertsFile = (rule: string): string => `alerts/${rule}.txt`;

const cell = (text: string): string => text.replace(/\|/g, "\\|");

export function renderMarkdown(s: BacktestSummary, subjects: ReadonlyMap<string, readonly string[]>): string {
  const c = s.counters;
  const days = s.days.length;
  const lines: string[] = [
    "# Backtest",
    "",
    `What this stack's EventBridge rules would have alerted on, over the CloudTrail log files in \`${s.source}\`.`,
    "",
    `- **${count(c.records)} records** in ${count(c.files)} files (${bytes(c.bytes)}), ${span(s)}; ${count(s.recordsPerSecond)} records/s.`,
    `- ${count(c.delivered)} reach the rules in us-east-1; ${count(c.readOnly)} are read-only management events (Describe/Get/List), which rules in the ENABLED state never receive; ${count(c.notForwarded)} from other regions are not forwarded.`,
    ...s.notes.map((n) => `- ${n}`),
    "",
    `![Alerts per day, by preset](${CHART_FILE})`,
    "",
    `## Rules (${count(s.totalAlerts)} alerts)`,
    "",
    "| Rule | Preset | Alerts | Per day | Top actors | First alerts |",
    "| --- | --- | ---: | --- | --- | --- |",
    ...s.rules.map(
      (r) =>
        `| ${cell(r.name)} | ${r.preset} | ${count(r.alerts)} | ${perDay(r, days)} | ${cell(actors(r))} | ${r.alerts > 0 ? `[${Math.min(r.alerts, (subjects.get(r.name) ?? []).length)} rendered](${alertsFile(r.name)})` : "-"} |`,
    ),
    "",
    "## Presets",
    "",
    "| Preset | Severity | Rules | Alerts | Per day | Top actors |",
    "| --- | --- | ---: | ---: | --- | --- |",
    ...s.presets.map((p) => `| ${p.preset} | ${p.severity ?? "-"} | ${p.rules.length} | ${count(p.alerts)} | ${perDay(p, days)} | ${cell(actors(p))} |`),
  ];
  const missed = s.rules.filter((r) => r.unwatched > 0);
  if (missed.length > 0) {
    lines.push("", "## Matched where no rule sees it", "", "Events of regions that do not reach us-east-1 as deployed (not watched, or not matching the forwarding pattern) that a rule's pattern matches:", "");
    for (const r of missed) lines.push(`- ${r.name}: ${count(r.unwatched)}`);
  }
  lines.push("", "## `ignored_principal_arns` candidates", "");
  if (s.candidates.length === 0) {
    lines.push(`No IAM user or role is behind the ${count(s.suppressibleAlerts)} alerts of suppressible rules.`);
  } else {
    const saved = s.candidates.reduce((sum, x) => sum + x.alerts, 0);
    lines.push(
      `The principals behind most of the ${count(s.suppressibleAlerts)} alerts of suppressible rules (iam_events and the IAM presets; never root, never root activity, monitoring tamper or the other presets). Adding one to \`ignored_principal_arns\` saves:`,
      "",
      "| Principal | Alerts saved | Of suppressible | Of all |",
      "| --- | ---: | ---: | ---: |",
      ...s.candidates.map((x) => `| \`${x.principal}\` | ${count(x.alerts)} | ${share(x.alerts, s.suppressibleAlerts)} | ${share(x.alerts, s.totalAlerts)} |`),
      "",
      `All ${s.candidates.length} together: ${count(saved)} of ${count(s.totalAlerts)} alerts (${share(saved, s.totalAlerts)}). Weigh each against what it would hide: a suppressed principal's IAM changes no longer alert.`,
    );
  }
  lines.push("", "## First alerts, as the notifier sends them", "");
  for (const r of s.rules) {
    const list = subjects.get(r.name) ?? [];
    if (list.length === 0) continue;
    lines.push(`- [${r.name}](${alertsFile(r.name)}):`, ...list.map((subject) => `  - ${cell(subject)}`));
  }
  return `${lines.join("\n")}\n`;
}
