/**
 * The part of Terraform's JSON plan format (`terraform show -json PLANFILE`)
 * that the plan review reads, and small accessors over it.
 *
 * Format reference: https://developer.hashicorp.com/terraform/internals/json-format
 * Values are typed `unknown`: they come from a file, and every reader below
 * narrows them before use.
 */

export type PlanAction = "no-op" | "create" | "read" | "update" | "delete" | "forget";

export interface PlannedChange {
  readonly actions: readonly PlanAction[];
  /** Prior state; `null` when the object does not exist yet. */
  readonly before: unknown;
  /** Planned state; `null` when the object is deleted. Values known only after apply are omitted here... */
  readonly after: unknown;
  /** ...and marked `true` here, at the same path. */
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  readonly replace_paths?: readonly (readonly (string | number)[])[];
}

export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly change: PlannedChange;
  readonly action_reason?: string;
  /** The address before a `moved` block moved it: the same object under a new address, not a deletion. */
  readonly previous_address?: string;
}

export interface CheckResult {
  readonly address: { readonly kind: string; readonly name?: string; readonly to_display: string };
  readonly status: "pass" | "fail" | "error" | "unknown";
  readonly instances?: readonly {
    readonly address: { readonly to_display: string };
    readonly status: string;
    readonly problems?: readonly { readonly message: string }[];
  }[];
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly variables?: Readonly<Record<string, { readonly value: unknown }>>;
  readonly resource_changes?: readonly ResourceChange[];
  readonly checks?: readonly CheckResult[];
  readonly errored?: boolean;
}

/** One word per resource for the summary, as `terraform plan` words it. */
export type Effect = "create" | "update" | "delete" | "replace" | "read" | "forget" | "no-op";

export function effectOf(actions: readonly PlanAction[]): Effect {
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  for (const effect of ["create", "delete", "update", "read", "forget"] as const) {
    if (actions.includes(effect)) return effect;
  }
  return "no-op";
}

export type Attributes = Readonly<Record<string, unknown>>;

export const isRecord = (value: unknown): value is Attributes =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Prior and planned attributes of a resource; `null` on the side where it does not exist. */
export interface Sides {
  readonly before: Attributes | null;
  readonly after: Attributes | null;
}

export function sides(rc: ResourceChange): Sides {
  return {
    before: isRecord(rc.change.before) ? rc.change.before : null,
    after: isRecord(rc.change.after) ? rc.change.after : null,
  };
}

/** True when the planned value of a top-level attribute is known only after apply. */
export function unknownAfter(rc: ResourceChange, attribute: string): boolean {
  const unknown = rc.change.after_unknown;
  if (unknown === true) return true;
  return isRecord(unknown) && unknown[attribute] === true;
}

/**
 * True when any part of the planned value at a path (attribute, then block
 * index or nested attribute) is known only after apply: the whole value, or
 * one element or field of it.
 */
export function unknownWithin(rc: ResourceChange, ...path: readonly (string | number)[]): boolean {
  let node: unknown = rc.change.after_unknown;
  for (const step of path) {
    if (node === true) return true;
    node = Array.isArray(node) && typeof step === "number" ? node[step] : isRecord(node) ? node[String(step)] : undefined;
  }
  return containsTrue(node);
}

const containsTrue = (node: unknown): boolean =>
  node === true || (Array.isArray(node) ? node.some(containsTrue) : isRecord(node) && Object.values(node).some(containsTrue));

/** True when Terraform marks an attribute sensitive on that side: its value must not be printed. */
export function sensitive(rc: ResourceChange, side: "before" | "after", attribute: string): boolean {
  const mask = side === "before" ? rc.change.before_sensitive : rc.change.after_sensitive;
  if (mask === true) return true;
  return isRecord(mask) && mask[attribute] === true;
}

/** A non-empty string attribute, or undefined (the AWS provider reads many unset strings back as ""). */
export function str(attrs: Attributes | null, attribute: string): string | undefined {
  const value = attrs?.[attribute];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function bool(attrs: Attributes | null, attribute: string): boolean | undefined {
  const value = attrs?.[attribute];
  return typeof value === "boolean" ? value : undefined;
}

/** The first element of a nested block (blocks are lists in the JSON plan), or undefined when absent. */
export function block(attrs: Attributes | null, attribute: string): Attributes | undefined {
  const value = attrs?.[attribute];
  if (Array.isArray(value)) return value.find(isRecord);
  return isRecord(value) ? value : undefined;
}

export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Top-level attributes whose value changes (or becomes unknown), for the table of changed resources. */
export function changedAttributes(rc: ResourceChange): string[] {
  const { before, after } = sides(rc);
  if (before === null || after === null) return [];
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  if (isRecord(rc.change.after_unknown)) {
    for (const [name, value] of Object.entries(rc.change.after_unknown)) if (value === true) names.add(name);
  }
  return [...names]
    .filter((name) => unknownAfter(rc, name) || JSON.stringify(before[name]) !== JSON.stringify(after[name]))
    .sort(byText);
}

/** Locale-independent string order, so the summary is byte-identical on every machine. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
