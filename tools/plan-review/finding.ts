/**
 * What the plan review says about a plan: findings, each a weakening,
 * strengthening or other notable change of one area of monitoring, about one
 * resource.
 */
import type { ResourceChange } from "./plan-json";

export type FindingKind = "weakening" | "strengthening" | "change";

/** Areas in the order the summary lists them. */
export const AREAS = {
  events: "Monitored events",
  organization: "Organization coverage",
  rules: "Rules and alert delivery",
  subscribers: "Subscribers",
  trail: "Trail",
  buckets: "Buckets",
  encryption: "Encryption",
  policies: "Resource policies",
  permissions: "Permissions",
  dlq: "Dead-letter queues",
  alarms: "Alarms",
} as const;
export type Area = keyof typeof AREAS;

export interface Finding {
  readonly kind: FindingKind;
  readonly area: Area;
  /** One sentence in plain words; Markdown inline code only. */
  readonly message: string;
  /** Terraform address of the resource the finding is about. */
  readonly address: string;
}

/** Every change of the plan, for rules that look beyond one resource. */
export interface PlanContext {
  readonly changes: readonly ResourceChange[];
  /** The plan's input variables, to say which setting a change comes from. */
  readonly variables: Readonly<Record<string, { readonly value: unknown }>>;
}
