/**
 * The backtest's findings, ready to print: per rule, per preset, and the
 * `ignored_principal_arns` candidates. Pure: stats in, summary out.
 */
import type { Severity } from "../../src/detection";
import type { Deployment } from "./deployment";
import { BoundedCounter } from "./counter";
import type { Counters, RuleStats, Stats } from "./stats";

export const TOP_ACTORS = 3;
export const CANDIDATES = 5;

export interface Tally {
  readonly alerts: number;
  /** Matches in regions whose events never reach us-east-1 as deployed. */
  readonly unwatched: number;
  /** Alerts per day, for every day the logs cover (zeros included), in date order. */
  readonly perDay: readonly (readonly [string, number])[];
  readonly maxPerDay: number;
  readonly topActors: readonly (readonly [string, number])[];
}

export interface RuleSummary extends Tally {
  readonly name: string;
  readonly preset: string;
  readonly severity?: Severity;
  readonly suppressible: boolean;
}

export interface PresetSummary extends Tally {
  readonly preset: string;
  readonly severity?: Severity;
  readonly rules: readonly string[];
}

export interface Candidate {
  readonly principal: string;
  /** Alerts it is behind: what adding it to ignored_principal_arns would save. */
  readonly alerts: number;
}

export interface BacktestSummary {
  readonly source: string;
  readonly counters: Counters;
  /** UTC days with records, in order. */
  readonly days: readonly string[];
  readonly rules: readonly RuleSummary[];
  readonly presets: readonly PresetSummary[];
  readonly totalAlerts: number;
  readonly suppressibleAlerts: number;
  readonly candidates: readonly Candidate[];
  readonly notes: readonly string[];
  readonly seconds: number;
  readonly recordsPerSecond: number;
}

function tally(days: readonly string[], parts: readonly RuleStats[]): Tally {
  const perDay = new Map<string, number>();
  const actors = new BoundedCounter();
  let alerts = 0;
  let unwatched = 0;
  for (const part of parts) {
    alerts += part.alerts;
    unwatched += part.unwatched;
    for (const [day, n] of part.perDay) perDay.set(day, (perDay.get(day) ?? 0) + n);
    for (const [actor, n] of part.actors.entries()) actors.add(actor, n);
  }
  const series = days.map((day) => [day, perDay.get(day) ?? 0] as const);
  return {
    alerts,
    unwatched,
    perDay: series,
    maxPerDay: series.reduce((max, [, n]) => Math.max(max, n), 0),
    topActors: actors.top(TOP_ACTORS),
  };
}

export function summarize(stats: Stats, deployment: Deployment, source: string, seconds: number): BacktestSummary {
  const days = [...stats.recordsPerDay.keys()].sort();
  const ruleStats = [...stats.rules.values()];
  const rules = ruleStats.map((s) => ({
    name: s.rule.name,
    preset: s.rule.preset,
    ...(s.rule.severity !== undefined ? { severity: s.rule.severity } : {}),
    suppressible: s.rule.suppressible,
    ...tally(days, [s]),
  }));
  const presetNames = [...new Set(ruleStats.map((s) => s.rule.preset))];
  const presets = presetNames.map((preset) => {
    const parts = ruleStats.filter((s) => s.rule.preset === preset);
    const severity = parts[0]?.rule.severity;
    return { preset, ...(severity !== undefined ? { severity } : {}), rules: parts.map((p) => p.rule.name), ...tally(days, parts) };
  });
  return {
    source,
    counters: { ...stats.counters },
    days,
    rules,
    presets,
    totalAlerts: rules.reduce((sum, r) => sum + r.alerts, 0),
    suppressibleAlerts: stats.suppressibleAlerts,
    candidates: stats.suppressible.top(CANDIDATES).map(([principal, alerts]) => ({ principal, alerts })),
    notes: deployment.notes,
    seconds,
    recordsPerSecond: seconds > 0 ? stats.counters.read / seconds : 0,
  };
}

/** `--json`: the machine-readable counts, rule names as deployed. */
export function jsonSummary(summary: BacktestSummary): unknown {
  return {
    records: summary.counters.records,
    rules: Object.fromEntries(summary.rules.map((r) => [r.name, { matched: r.alerts }])),
    presets: Object.fromEntries(summary.presets.map((p) => [p.preset, { matched: p.alerts }])),
    records_per_second: Math.round(summary.recordsPerSecond),
  };
}
