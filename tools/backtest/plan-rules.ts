/**
 * The EventBridge rules a `terraform show -json` plan would leave in place:
 * every `aws_cloudwatch_event_rule` that exists after the plan, with the
 * region of its provider. Rules in us-east-1 alert; this stack's rules in
 * other regions forward (their pattern decides what reaches us-east-1).
 * Format: https://developer.hashicorp.com/terraform/internals/json-format
 */
import { IAM_EVENTS_LABEL, PRESETS, presetRules, ruleSuffix, type EventPattern, type Severity } from "../../src/detection";
import { ALERTING_REGION } from "../../src/config/regions";
import { isRecord, type PlanJson } from "../plan-review/plan-json";
import { OTHER_PRESET, type DeployedRule } from "./deployed-rule";
import { IAM_EVENTS_SUFFIX } from "./catalogue-rules";

export interface PlannedRules {
  /** Rules in us-east-1, in plan order. */
  readonly alerting: DeployedRule[];
  /** Forwarding rules by region (not us-east-1). */
  readonly forwarding: ReadonlyMap<string, EventPattern>;
  /** Rules left out, and why (disabled, schedule-only, region unknown). */
  readonly skipped: readonly string[];
  readonly applicationName?: string;
}

const FULL_STATE = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

export function rulesFromPlan(plan: PlanJson, source: string): PlannedRules {
  if (!isRecord(plan) || typeof plan.format_version !== "string") {
    throw new Error(`${source} is not a Terraform JSON plan (no format_version): give the output of \`terraform show -json PLANFILE\``);
  }
  const raw = plan as unknown as Record<string, any>;
  const applicationName = typeof raw.variables?.application_name?.value === "string" ? raw.variables.application_name.value : undefined;
  const regionOf = providerRegions(raw);
  const alerting: DeployedRule[] = [];
  const forwarding = new Map<string, EventPattern>();
  const skipped: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== "aws_cloudwatch_event_rule" || rc.mode !== "managed" || !isRecord(rc.change.after)) continue;
    const after = rc.change.after;
    const name = typeof after.name === "string" ? after.name : rc.address;
    if (isRecord(rc.change.after_unknown) && rc.change.after_unknown.event_pattern === true) {
      throw new Error(`${source}: the event pattern of ${rc.address} is known only after apply; the backtest needs it at plan time`);
    }
    if (typeof after.event_pattern !== "string") {
      skipped.push(`${name}: no event pattern (a schedule)`);
      continue;
    }
    if (after.state === "DISABLED" || after.is_enabled === false) {
      skipped.push(`${name}: disabled`);
      continue;
    }
    const region = regionOf(rc.address);
    if (region === undefined) {
      skipped.push(`${name}: region unknown at plan time`);
      continue;
    }
    const pattern = JSON.parse(after.event_pattern) as EventPattern;
    if (region !== ALERTING_REGION) {
      forwarding.set(region, pattern);
      continue;
    }
    alerting.push({ name, ...labelOf(name, applicationName, after.description), pattern, allManagementEvents: after.state === FULL_STATE });
  }
  return { alerting, forwarding, skipped, ...(applicationName !== undefined ? { applicationName } : {}) };
}

/**
 * Resource address → region: the `region` of its provider configuration, or,
 * for the default provider without one, the home region the plan read
 * (`data.aws_region` of the prior state).
 */
function providerRegions(raw: Record<string, any>): (address: string) => string | undefined {
  const configs: Record<string, any> = raw.configuration?.provider_config ?? {};
  const keyOf = new Map<string, string>();
  for (const r of raw.configuration?.root_module?.resources ?? []) keyOf.set(r.address, r.provider_config_key);
  const dataRegions = (raw.prior_state?.values?.root_module?.resources ?? []).filter(
    (r: any) => r.mode === "data" && r.type === "aws_region" && typeof r.values?.name === "string",
  );
  const defaultRegion: string | undefined = dataRegions.length === 1 ? dataRegions[0].values.name : undefined;
  return (address) => {
    const key = keyOf.get(address.replace(/\[[^\]]*\]$/, "")) ?? "aws";
    const constant = configs[key]?.expressions?.region?.constant_value;
    if (typeof constant === "string") return constant;
    return key === "aws" ? defaultRegion : undefined;
  };
}

/** Preset, severity and suppressibility from the rule's name (`<application_name>-<suffix>`). */
function labelOf(name: string, applicationName: string | undefined, description: unknown): Omit<DeployedRule, "name" | "pattern" | "allManagementEvents"> {
  const suffix = applicationName !== undefined && name.startsWith(`${applicationName}-`) ? name.slice(applicationName.length + 1) : undefined;
  if (suffix === IAM_EVENTS_SUFFIX) return { preset: IAM_EVENTS_LABEL.preset, severity: IAM_EVENTS_LABEL.severity, suppressible: true };
  const rule = presetRules().find((r) => ruleSuffix(r.key) === suffix);
  if (rule !== undefined) return { preset: rule.preset.name, severity: rule.preset.severity, suppressible: rule.preset.suppressible };
  // Another stack's rule, or a name this catalogue no longer has: its description may still name the preset.
  const named = typeof description === "string" ? PRESETS.find((p) => description.startsWith(`${p.name} (`)) : undefined;
  return named !== undefined
    ? { preset: named.name, severity: named.severity as Severity, suppressible: named.suppressible }
    : { preset: OTHER_PRESET, suppressible: false };
}
