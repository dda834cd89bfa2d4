/**
 * What the stack would deploy, as the backtest evaluates it: the alerting
 * rules (for a record's account) and the way each region's events reach
 * us-east-1, where the rules are.
 *
 * Regions: rules live in us-east-1 and see its events. An event of another
 * region reaches them only through that region's forwarding rule, so only if
 * the region is watched and the event matches the forwarding pattern
 * (src/detection/forwarding-pattern.ts); a global event such as an IAM call
 * is recorded in us-east-1 anyway. From a plan, the watched regions are those
 * with a forwarding rule in it. From a var file, they come from cdktf.json's
 * `watchRegions` (else its `homeRegion`), the synth-time settings the stack
 * reads; with neither set, every region is treated as watched, as if
 * forwarded, and the report says so.
 */
import { compilePattern, type CompiledPattern } from "../event-pattern";
import { ALERTING_REGION } from "../../src/config/regions";
import { catalogueRules, DEFAULT_SETTINGS, forwardingPattern, forwardsRegionalEvents, namesFor, type DetectionSettings } from "./catalogue-rules";
import type { DeployedRule } from "./deployed-rule";
import type { PlannedRules } from "./plan-rules";

export interface CompiledRule {
  readonly rule: DeployedRule;
  readonly compiled: CompiledPattern;
}

/** How a region's events reach the rules: directly, through a forwarding pattern, or not at all. */
export type Route = { readonly kind: "alerting" } | { readonly kind: "forwarded"; readonly pattern: CompiledPattern } | { readonly kind: "unwatched" };

export interface Deployment {
  /** The rules, for the report's order and names. */
  readonly rules: readonly DeployedRule[];
  rulesFor(account: string | undefined): readonly CompiledRule[];
  route(region: string | undefined): Route;
  /** How the rules and regions were decided, for the report. */
  readonly notes: readonly string[];
}

const ALERTING: Route = { kind: "alerting" };
const UNWATCHED: Route = { kind: "unwatched" };

const compileAll = (rules: readonly DeployedRule[]): CompiledRule[] => rules.map((rule) => ({ rule, compiled: compilePattern(rule.pattern) }));

export function deploymentFromPlan(planned: PlannedRules, source: string): Deployment {
  const compiled = compileAll(planned.alerting);
  const forwarding = new Map([...planned.forwarding].map(([region, pattern]) => [region, { kind: "forwarded", pattern: compilePattern(pattern) } as Route]));
  const regions = [ALERTING_REGION, ...forwarding.keys()];
  return {
    rules: planned.alerting,
    rulesFor: () => compiled,
    route: (region) => (region === ALERTING_REGION ? ALERTING : (forwarding.get(region ?? "") ?? UNWATCHED)),
    notes: [
      `rules: the ${planned.alerting.length} EventBridge rules in ${ALERTING_REGION} of the plan ${source}`,
      `regions: ${regions.join(", ")} reach the rules (${ALERTING_REGION} directly, the others through their forwarding rule)`,
      ...planned.skipped.map((s) => `left out: ${s}`),
    ],
  };
}

export interface SynthContext {
  readonly homeRegion?: string;
  readonly watchRegions?: readonly string[];
}

/** Placeholder account for records without recipientAccountId. */
const UNKNOWN_ACCOUNT = "000000000000";

export function deploymentFromSettings(settings: DetectionSettings, context: SynthContext, source: string): Deployment {
  const homeRegion = context.homeRegion ?? ALERTING_REGION;
  const byAccount = new Map<string, CompiledRule[]>();
  const rulesFor = (account: string | undefined): CompiledRule[] => {
    const id = account ?? UNKNOWN_ACCOUNT;
    const known = byAccount.get(id);
    if (known !== undefined) return known;
    const rules = compileAll(catalogueRules(settings, namesFor(settings.applicationName, id, homeRegion)));
    byAccount.set(id, rules);
    return rules;
  };
  const forwarded: Route = { kind: "forwarded", pattern: compilePattern(forwardingPattern()) };
  const watched = context.watchRegions ?? (context.homeRegion !== undefined ? [context.homeRegion] : undefined);
  const forwards = forwardsRegionalEvents(settings);
  const route = (region: string | undefined): Route => {
    if (region === ALERTING_REGION) return ALERTING;
    if (!forwards) return UNWATCHED;
    return watched === undefined || watched.includes(region ?? "") ? forwarded : UNWATCHED;
  };
  const regionNote = !forwards
    ? `regions: only ${ALERTING_REGION} (no enabled preset has a regional part, so nothing is forwarded)`
    : watched === undefined
      ? "regions: cdktf.json sets neither watchRegions nor homeRegion, so every region is treated as watched: its events count as if forwarded to us-east-1"
      : `regions: ${[ALERTING_REGION, ...watched.filter((r) => r !== ALERTING_REGION)].join(", ")} reach the rules (watchRegions/homeRegion in cdktf.json)`;
  return {
    rules: catalogueRules(settings, namesFor(settings.applicationName, UNKNOWN_ACCOUNT, homeRegion)),
    rulesFor,
    route,
    notes: [
      `rules: computed from the preset catalogue and ${source === "" ? "the variables' defaults" : source}`,
      `names: this deployment's resource names (tamper patterns) are built for each record's recipientAccountId, home region ${homeRegion}${context.homeRegion === undefined ? " (assumed: cdktf.json sets no homeRegion)" : ""}`,
      regionNote,
    ],
  };
}

export { DEFAULT_SETTINGS };
