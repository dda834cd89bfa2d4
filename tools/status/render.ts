import { AREAS, isHealthy, problems, type StatusReport } from "./model";

/** The one screen: a verdict, then each area's checks, problems marked FAIL with what to do. */
export function renderStatus(report: StatusReport): string {
  const failing = problems(report);
  const verdict = isHealthy(report) ? "HEALTHY" : `UNHEALTHY: ${failing.length} problem${failing.length === 1 ? "" : "s"}`;
  const lines = [`${report.applicationName} at ${report.at.toISOString()}: ${verdict}`];
  const width = Math.min(60, Math.max(...report.checks.map((c) => c.name.length), 10));
  for (const area of AREAS) {
    const checks = report.checks.filter((c) => c.area === area);
    if (checks.length === 0) continue;
    lines.push("", area[0]!.toUpperCase() + area.slice(1));
    for (const c of checks) {
      const mark = c.healthy ? "  ok  " : "  FAIL";
      const note = c.note === undefined ? "" : `  (${c.note})`;
      lines.push(`${mark} ${c.region.padEnd(14)} ${c.name.padEnd(width)}  ${c.state}${note}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
