/** `--out` (report.md, the chart, the first alerts of each rule) and `--json`. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { alertsPerDaySvg } from "./chart-svg";
import type { BacktestOptions } from "./options";
import { alertsText, renderedAlerts } from "./rendered-alerts";
import { alertsFile, CHART_FILE, renderMarkdown } from "./report-markdown";
import type { Stats } from "./stats";
import { jsonSummary, type BacktestSummary } from "./summary";

export async function writeOutputs(options: BacktestOptions, summary: BacktestSummary, stats: Stats): Promise<void> {
  if (options.json !== undefined) {
    await mkdir(dirname(options.json), { recursive: true });
    await writeFile(options.json, `${JSON.stringify(jsonSummary(summary), null, 2)}\n`);
  }
  if (options.out === undefined) return;
  await mkdir(join(options.out, "alerts"), { recursive: true });
  const subjects = new Map<string, string[]>();
  for (const ruleStats of stats.rules.values()) {
    const alerts = renderedAlerts(ruleStats);
    if (alerts.length === 0) continue;
    subjects.set(ruleStats.rule.name, alerts.map((a) => a.subject));
    await writeFile(join(options.out, alertsFile(ruleStats.rule.name)), alertsText(ruleStats.rule.name, alerts));
  }
  await writeFile(join(options.out, CHART_FILE), alertsPerDaySvg(summary.days, summary.presets));
  await writeFile(join(options.out, "report.md"), renderMarkdown(summary, subjects));
}
