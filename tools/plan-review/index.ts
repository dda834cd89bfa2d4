/**
 * Plan review: a readable summary of `terraform show -json` output that says
 * when a change weakens monitoring. Used by `npm run plan` (scripts/plan.ts).
 */
export { summarizePlan } from "./summarize";
export type { ChangedResource, PlanCounts, PlanSummary } from "./summarize";
export { renderMarkdown } from "./render-markdown";
export type { RenderOptions } from "./render-markdown";
export { AREAS } from "./finding";
export type { Area, Finding, FindingKind } from "./finding";
export { REVIEWED_TYPES } from "./findings";
export type { PlanJson, ResourceChange } from "./plan-json";
