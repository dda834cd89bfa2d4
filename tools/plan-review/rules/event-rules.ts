/**
 * EventBridge rules and their targets: which events are monitored, and
 * whether matched events are delivered.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
import type { Finding, PlanContext } from "../finding";
import { Attributes, block, bool, isRecord, sides, str, unknownAfter } from "../plan-json";
import { list } from "../policy";
import { code, finding, nameOf, Rule } from "./rule";

interface Pattern {
  /** detail.eventName values as a reviewer reads them (`UpdateFunctionCode*` for a prefix filter), or null when the pattern has no eventName filter. */
  readonly events: string[] | null;
  /** The rest of the pattern, canonical, to notice other changes. */
  readonly rest: string;
}

function parsePattern(text: unknown): Pattern | undefined {
  if (typeof text !== "string") return undefined;
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(pattern)) return undefined;
  const detail = isRecord(pattern.detail) ? pattern.detail : undefined;
  const names = detail?.eventName;
  const events = Array.isArray(names) ? names.map(readableFilter) : null;
  const { eventName: _ignored, ...detailRest } = detail ?? {};
  return { events, rest: canonical({ ...pattern, detail: detailRest }) };
}

/**
 * One value of an event pattern's array as a reviewer reads it: a plain name
 * as it is, a content filter in the shell-like shorthand people already
 * know (`UpdateFunctionCode*` for `{"prefix":"UpdateFunctionCode"}`), and
 * anything else as compact JSON, so nothing is hidden.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function readableFilter(value: unknown): string {
  if (typeof value === "string") return value;
  if (!isRecord(value) || Object.keys(value).length !== 1) return JSON.stringify(value) ?? "null";
  const [operator, operand] = Object.entries(value)[0]!;
  const anyCase = (inner: unknown): string | undefined =>
    isRecord(inner) && typeof inner["equals-ignore-case"] === "string" ? inner["equals-ignore-case"] : undefined;
  switch (operator) {
    case "prefix":
      if (typeof operand === "string") return `${operand}*`;
      if (anyCase(operand) !== undefined) return `${anyCase(operand)}* (any case)`;
      break;
    case "suffix":
      if (typeof operand === "string") return `*${operand}`;
      if (anyCase(operand) !== undefined) return `*${anyCase(operand)} (any case)`;
      break;
    case "wildcard":
      if (typeof operand === "string") return operand;
      break;
    case "equals-ignore-case":
      if (typeof operand === "string") return `${operand} (any case)`;
      break;
    case "exists":
      if (typeof operand === "boolean") return operand ? "(any value)" : "(absent)";
      break;
    case "anything-but":
      if (Array.isArray(operand)) return `anything but ${operand.map(readableFilter).join(", ")}`;
      return `anything but ${readableFilter(operand)}`;
  }
  return JSON.stringify(value);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const ruleEnabled = (attrs: Attributes): boolean => {
  const state = str(attrs, "state");
  return state !== undefined ? state !== "DISABLED" : bool(attrs, "is_enabled") !== false;
};

const names = (events: readonly string[]): string => list(events.map(code));

export const eventRule: Rule = (rc) => {
  const { before, after } = sides(rc);
  const rule = nameOf(rc, "name");
  const attrs = after ?? before;
  const description = str(attrs, "description");
  const what = description !== undefined ? ` (${description})` : "";
  const prior = before !== null ? parsePattern(before.event_pattern) : undefined;
  const planned = after !== null && !unknownAfter(rc, "event_pattern") ? parsePattern(after.event_pattern) : undefined;

  if (before === null) {
    if (planned === undefined) return [finding("change", "rules", rc, `New rule ${rule}${what}: its event pattern is known only after apply.`)];
    if (planned.events !== null && planned.events.length > 0) {
      return [finding("strengthening", "events", rc, `Starts alerting on ${names(planned.events)} (new rule ${rule}).`)];
    }
    return [finding("strengthening", "rules", rc, `New rule ${rule} starts alerting${what}.`)];
  }
  if (after === null) {
    if (prior?.events) return [finding("weakening", "events", rc, `Stops alerting on ${names(prior.events)}: rule ${rule} is deleted.`)];
    return [finding("weakening", "rules", rc, `Rule ${rule} is deleted: it stops alerting${what}.`)];
  }

  const out: Finding[] = [];
  if (ruleEnabled(before) && !ruleEnabled(after)) out.push(finding("weakening", "rules", rc, `Rule ${rule} is disabled: it stops alerting${what}.`));
  if (!ruleEnabled(before) && ruleEnabled(after)) out.push(finding("strengthening", "rules", rc, `Rule ${rule} is enabled again${what}.`));
  if (unknownAfter(rc, "event_pattern")) {
    out.push(finding("change", "events", rc, `The event pattern of rule ${rule} is known only after apply: check which events it matches.`));
    return out;
  }
  if (prior === undefined || planned === undefined) return out;
  const was = prior.events ?? [];
  const will = planned.events ?? [];
  const removed = was.filter((e) => !will.includes(e));
  const added = will.filter((e) => !was.includes(e));
  if (prior.events !== null && planned.events === null) {
    // The eventName filter itself is gone: the rule now matches more, not less.
    out.push(finding("change", "events", rc, `Rule ${rule} no longer filters on event names: it matches every event of its pattern.`));
  } else {
    if (removed.length > 0) out.push(finding("weakening", "events", rc, `Stops alerting on ${names(removed)} (rule ${rule}).`));
    if (added.length > 0) out.push(finding("strengthening", "events", rc, `Starts alerting on ${names(added)} (rule ${rule}).`));
  }
  if (prior.rest !== planned.rest) {
    out.push(finding("change", "events", rc, `The event pattern of rule ${rule} changes beyond its event names: check which events it matches.`));
  }
  return out;
};

/** Event rule names deleted by the plan, so a deleted rule's targets are not reported twice. */
const deletedRuleNames = (ctx: PlanContext): Set<string> =>
  new Set(
    ctx.changes
      .filter((c) => c.type === "aws_cloudwatch_event_rule" && sides(c).after === null)
      .map((c) => str(sides(c).before, "name") ?? ""),
  );

export const eventTarget: Rule = (rc, ctx) => {
  const { before, after } = sides(rc);
  const ruleName = str(after, "rule") ?? str(before, "rule");
  const rule = ruleName !== undefined ? code(ruleName) : code(rc.address);
  if (before !== null && after === null) {
    if (ruleName !== undefined && deletedRuleNames(ctx).has(ruleName)) return [];
    const arn = str(before, "arn");
    return [finding("weakening", "rules", rc, `Rule ${rule} stops delivering to ${arn !== undefined ? code(arn) : "its target"} (target removed).`)];
  }
  if (before === null || after === null || unknownAfter(rc, "dead_letter_config")) return [];
  const had = block(before, "dead_letter_config") !== undefined;
  const has = block(after, "dead_letter_config") !== undefined;
  if (had && !has) return [finding("weakening", "dlq", rc, `Rule ${rule} loses its dead-letter queue: events it fails to deliver are dropped.`)];
  if (!had && has) return [finding("strengthening", "dlq", rc, `Rule ${rule} gains a dead-letter queue for events it fails to deliver.`)];
  return [];
};
