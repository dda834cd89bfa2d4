/**
 * A plan review built from `terraform show -json` output alone: counts,
 * changed resources and the monitoring impact of a plan. Pure: plan in,
 * summary out, no I/O, so it is tested on recorded plans.
 */
import { AREAS, Finding, FindingKind, PlanContext } from "./finding";
import { findingsFor } from "./findings";
import { byText, changedAttributes, Effect, effectOf, PlanJson, ResourceChange } from "./plan-json";

export interface PlanCounts {
  /** As `terraform plan` counts them: a replacement is one add and one destroy. */
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Resources removed from state without being destroyed (`removed { lifecycle { destroy = false } }`). */
  readonly forget: number;
}

export interface ChangedResource {
  readonly address: string;
  readonly type: string;
  readonly effect: Exclude<Effect, "no-op" | "read">;
  /** Top-level attributes that change (updates), or force the replacement (replacements). */
  readonly attributes: readonly string[];
}

export interface PlanSummary {
  readonly counts: PlanCounts;
  readonly resources: readonly ChangedResource[];
  /** Weakenings first, then strengthenings, then other notable changes; each group by area, then address. */
  readonly findings: readonly Finding[];
  readonly weakened: boolean;
  /** Failed `check` blocks and postconditions of the configuration (warnings, they do not block apply). */
  readonly checkWarnings: readonly string[];
  readonly terraformVersion?: string;
}

const KIND_ORDER: readonly FindingKind[] = ["weakening", "strengthening", "change"];
const AREA_ORDER = Object.keys(AREAS);

export function compareFindings(a: Finding, b: Finding): number {
  return (
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) ||
    byText(a.address, b.address) ||
    byText(a.message, b.message)
  );
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string") {
    throw new Error("not a Terraform JSON plan: expected the output of `terraform show -json PLANFILE` (no format_version)");
  }
  if (!plan.format_version.startsWith("1.")) {
    throw new Error(`unsupported JSON plan format_version ${plan.format_version}: this review reads format 1.x`);
  }
  const changes: readonly ResourceChange[] = plan.resource_changes ?? [];
  const ctx: PlanContext = { changes, variables: plan.variables ?? {} };

  const counts = { add: 0, change: 0, destroy: 0, forget: 0 };
  const resources: ChangedResource[] = [];
  for (const rc of changes) {
    if (rc.mode !== "managed") continue;
    const effect = effectOf(rc.change.actions);
    if (effect === "no-op" || effect === "read") continue;
    if (effect === "create" || effect === "replace") counts.add += 1;
    if (effect === "delete" || effect === "replace") counts.destroy += 1;
    if (effect === "update") counts.change += 1;
    if (effect === "forget") counts.forget += 1;
    const attributes =
      effect === "replace" ? replacePaths(rc) : effect === "update" ? changedAttributes(rc) : [];
    resources.push({ address: rc.address, type: rc.type, effect, attributes });
  }
  resources.sort((a, b) => byText(a.address, b.address));

  const findings = dedupe(changes.flatMap((rc) => findingsFor(rc, ctx))).sort(compareFindings);
  return {
    counts,
    resources,
    findings,
    weakened: findings.some((f) => f.kind === "weakening"),
    checkWarnings: checkWarnings(plan),
    terraformVersion: plan.terraform_version,
  };
}

function replacePaths(rc: ResourceChange): string[] {
  const paths = (rc.change.replace_paths ?? []).map((path) => path.map(String).join("."));
  return [...new Set(paths)].sort(byText);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.kind}|${f.area}|${f.address}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkWarnings(plan: PlanJson): string[] {
  const out: string[] = [];
  for (const check of plan.checks ?? []) {
    if (check.status !== "fail" && check.status !== "error") continue;
    for (const instance of check.instances ?? []) {
      for (const problem of instance.problems ?? []) out.push(`${instance.address.to_display}: ${problem.message}`);
    }
  }
  return [...new Set(out)].sort(byText);
}
