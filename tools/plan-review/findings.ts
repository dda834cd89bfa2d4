/**
 * The monitoring-impact rules: for each resource type that carries a
 * monitoring or security setting, compare the prior state (`before`) with the
 * planned one (`after`) and say in plain words what gets weaker or stronger.
 *
 * Rules are keyed by Terraform resource TYPE and attribute names, never by
 * address, so they keep working when the stack gains or renames resources.
 * A value known only after apply is never reported as removed.
 */
import {
  Attributes,
  block,
  bool,
  isRecord,
  ResourceChange,
  sensitive,
  sides,
  str,
  strings,
  unknownAfter,
} from "./plan-json";
import { addedGrants, describeGrants, describePrincipal, Grant, list, parsePolicy, PolicyFacts } from "./policy";

export type FindingKind = "weakening" | "strengthening" | "change";

/** Areas in the order the summary lists them. */
export const AREAS = {
  events: "Monitored events",
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
}

type Rule = (rc: ResourceChange, ctx: PlanContext) => Finding[];

const code = (value: string): string => "`" + value.replace(/`/g, "'") + "`";

/** The resource's own name for a sentence: a name attribute when known, else its address. */
function nameOf(rc: ResourceChange, ...attributes: string[]): string {
  const { before, after } = sides(rc);
  for (const attribute of attributes) {
    const value = str(after, attribute) ?? str(before, attribute);
    if (value !== undefined) return code(value);
  }
  return code(rc.address);
}

function finding(kind: FindingKind, area: Area, rc: ResourceChange, message: string): Finding {
  return { kind, area, message, address: rc.address };
}

/** A boolean setting flipping: true -> false is a weakening, false -> true a strengthening. */
function flag(
  rc: ResourceChange,
  area: Area,
  attribute: string,
  off: string,
  on: string,
): Finding[] {
  const { before, after } = sides(rc);
  if (before === null || after === null || unknownAfter(rc, attribute)) return [];
  const was = bool(before, attribute);
  const will = bool(after, attribute);
  if (was === true && will === false) return [finding("weakening", area, rc, off)];
  if (was === false && will === true) return [finding("strengthening", area, rc, on)];
  return [];
}

// ---------------------------------------------------------------------------
// EventBridge rules: which events are monitored
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html

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

const eventRule: Rule = (rc) => {
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

const eventTarget: Rule = (rc, ctx) => {
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

// ---------------------------------------------------------------------------
// Alert delivery: function, topic, subscribers

const lambdaFunction: Rule = (rc) => {
  const { before, after } = sides(rc);
  const fn = nameOf(rc, "function_name");
  if (before !== null && after === null) {
    return [finding("weakening", "rules", rc, `Function ${fn} is deleted: matched events are no longer turned into alerts.`)];
  }
  if (before === null || after === null) return [];
  const out: Finding[] = [];
  if (!unknownAfter(rc, "dead_letter_config")) {
    const had = str(block(before, "dead_letter_config") ?? null, "target_arn") !== undefined;
    const has = block(after, "dead_letter_config") !== undefined;
    if (had && !has) out.push(finding("weakening", "dlq", rc, `Function ${fn} loses its dead-letter queue: events it fails to process are dropped.`));
    if (!had && has) out.push(finding("strengthening", "dlq", rc, `Function ${fn} gains a dead-letter queue for events it fails to process.`));
  }
  const reserved = after.reserved_concurrent_executions;
  if (reserved === 0 && before.reserved_concurrent_executions !== 0) {
    out.push(finding("weakening", "rules", rc, `Function ${fn} gets a reserved concurrency of 0: it can no longer run.`));
  }
  return out;
};

const invokeConfig: Rule = (rc) => {
  const { before, after } = sides(rc);
  if (before === null || unknownAfter(rc, "destination_config")) return [];
  const onFailure = (attrs: Attributes | null): string | undefined =>
    str(block(block(attrs, "destination_config") ?? null, "on_failure") ?? null, "destination");
  const fn = nameOf(rc, "function_name");
  if (onFailure(before) !== undefined && onFailure(after) === undefined) {
    return [finding("weakening", "dlq", rc, `Function ${fn} no longer sends failed asynchronous invocations to an on-failure destination.`)];
  }
  return [];
};

const snsTopic: Rule = (rc) => {
  const { before, after } = sides(rc);
  const topic = nameOf(rc, "name");
  if (before !== null && after === null) return [finding("weakening", "rules", rc, `Topic ${topic} is deleted: alerts have nowhere to go.`)];
  return encryptionKey(rc, "kms_master_key_id", `Topic ${topic}`);
};

/** Endpoints are printed unless Terraform marks them sensitive. */
function endpoint(rc: ResourceChange, side: "before" | "after"): string {
  const attrs = sides(rc)[side];
  const protocol = str(attrs, "protocol") ?? "unknown protocol";
  if (side === "after" && unknownAfter(rc, "endpoint")) return `a subscriber (${protocol}, address known after apply)`;
  if (sensitive(rc, side, "endpoint")) return `a subscriber (${protocol}, address sensitive)`;
  const value = str(attrs, "endpoint");
  return value !== undefined ? `${code(value)} (${protocol})` : `a subscriber (${protocol})`;
}

const subscription: Rule = (rc, ctx) => {
  const { before, after } = sides(rc);
  const out: Finding[] = [];
  const was = before !== null ? endpoint(rc, "before") : undefined;
  const will = after !== null ? endpoint(rc, "after") : undefined;
  if (was !== undefined && will !== undefined) {
    if (rc.change.actions.includes("delete")) {
      if (was === will) {
        out.push(finding("change", "subscribers", rc, `Subscription of ${was} is recreated: the recipient must confirm it again.`));
      } else {
        out.push(finding("weakening", "subscribers", rc, `Subscriber removed: ${was}.`));
        out.push(finding("strengthening", "subscribers", rc, `Subscriber added: ${will}.`));
      }
    }
    return out;
  }
  if (will !== undefined) return [finding("strengthening", "subscribers", rc, `Subscriber added: ${will}.`)];
  if (was !== undefined) {
    const subscriptions = ctx.changes.filter((c) => c.type === rc.type);
    const remaining = subscriptions.filter((c) => sides(c).after !== null).length;
    // Said once, on the deleted subscription with the greatest address, whatever the order of the plan.
    const lastDeleted = subscriptions
      .filter((c) => sides(c).before !== null && sides(c).after === null)
      .reduce<ResourceChange | undefined>((last, c) => (last === undefined || c.address > last.address ? c : last), undefined);
    const last = remaining === 0 && lastDeleted === rc ? " No subscriber remains: alerts reach nobody." : "";
    out.push(finding("weakening", "subscribers", rc, `Subscriber removed: ${was}.${last}`));
  }
  return out;
};

// ---------------------------------------------------------------------------
// CloudTrail: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html

const TRAIL_FLAGS: readonly [attribute: string, on: string, off: string][] = [
  ["is_multi_region_trail", "records every region (multi-region on)", "no longer records every region (multi-region off): activity in other regions goes unseen"],
  ["include_global_service_events", "records global service events such as IAM again", "no longer records global service events: IAM calls go unseen"],
  ["enable_log_file_validation", "validates log files again (log file validation on)", "no longer validates log files (log file validation off): tampering with delivered logs cannot be detected"],
  ["enable_logging", "starts logging", "stops logging: no API call is recorded and no alert fires"],
];

/** Whether the trail records management events (IAM calls are management events). Advanced selectors are not interpreted. */
function managementEvents(attrs: Attributes): boolean | undefined {
  const advanced = attrs.advanced_event_selector;
  if (Array.isArray(advanced) && advanced.length > 0) return undefined;
  const selectors = Array.isArray(attrs.event_selector) ? attrs.event_selector.filter(isRecord) : [];
  if (selectors.length === 0) return true;
  return selectors.some((s) => s.include_management_events !== false && s.read_write_type !== "ReadOnly");
}

const trail: Rule = (rc) => {
  const { before, after } = sides(rc);
  const name = nameOf(rc, "name");
  if (before !== null && after === null) {
    return [finding("weakening", "trail", rc, `Trail ${name} is deleted: API calls are no longer recorded and no alert fires.`)];
  }
  if (after === null) return [];
  if (before === null) {
    const on = TRAIL_FLAGS.filter(([attribute]) => bool(after, attribute) === true).map(([attribute]) => TRAIL_LABELS[attribute]);
    const off = TRAIL_FLAGS.filter(([attribute]) => bool(after, attribute) === false).map(([attribute]) => TRAIL_LABELS[attribute]);
    const out = [finding("strengthening", "trail", rc, `New trail ${name}${on.length > 0 ? `: ${list(on)}` : ""}.`)];
    if (off.length > 0) out.push(finding("change", "trail", rc, `New trail ${name} without ${list(off)}.`));
    return out;
  }
  const out: Finding[] = [];
  for (const [attribute, on, off] of TRAIL_FLAGS) {
    out.push(...flag(rc, "trail", attribute, `Trail ${name} ${off}.`, `Trail ${name} ${on}.`));
  }
  const was = managementEvents(before);
  const will = managementEvents(after);
  if (!unknownAfter(rc, "event_selector")) {
    if (was === true && will === false) out.push(finding("weakening", "trail", rc, `Trail ${name} stops recording management (write) events: IAM calls go unseen.`));
    if (was === false && will === true) out.push(finding("strengthening", "trail", rc, `Trail ${name} records management events again.`));
  }
  if (str(before, "cloud_watch_logs_group_arn") !== undefined && str(after, "cloud_watch_logs_group_arn") === undefined && !unknownAfter(rc, "cloud_watch_logs_group_arn")) {
    out.push(finding("weakening", "trail", rc, `Trail ${name} no longer delivers to CloudWatch Logs.`));
  }
  out.push(...encryptionKey(rc, "kms_key_id", `Trail ${name}`));
  return out;
};

const TRAIL_LABELS: Readonly<Record<string, string>> = {
  is_multi_region_trail: "multi-region",
  include_global_service_events: "global service events",
  enable_log_file_validation: "log file validation",
  enable_logging: "logging on",
};

// ---------------------------------------------------------------------------
// Buckets: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

const PUBLIC_ACCESS_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

/** "bucket `name`", or words for a bucket whose name is known only after apply. */
function bucketLabel(rc: ResourceChange): string {
  const { before, after } = sides(rc);
  const name = str(after, "bucket") ?? str(before, "bucket");
  return name !== undefined ? `bucket ${code(name)}` : "a bucket created by this plan";
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const publicAccessBlock: Rule = (rc) => {
  const { before, after } = sides(rc);
  const bucket = rc.type === "aws_s3_account_public_access_block" ? "the account" : bucketLabel(rc);
  const isOn = (attrs: Attributes | null, f: string): boolean => bool(attrs, f) === true;
  if (before !== null && after === null) {
    const were = PUBLIC_ACCESS_FLAGS.filter((f) => isOn(before, f));
    return were.length > 0 ? [finding("weakening", "buckets", rc, `Public access block of ${bucket} is removed.`)] : [];
  }
  if (after === null) return [];
  if (before === null) {
    const on = PUBLIC_ACCESS_FLAGS.filter((f) => isOn(after, f));
    const off = PUBLIC_ACCESS_FLAGS.filter((f) => bool(after, f) === false);
    const out: Finding[] = [];
    if (on.length > 0) out.push(finding("strengthening", "buckets", rc, `Public access block of ${bucket}: ${list(on.map(code))} on.`));
    if (off.length > 0) out.push(finding("change", "buckets", rc, `Public access block of ${bucket} is created with ${list(off.map(code))} off.`));
    return out;
  }
  const known = PUBLIC_ACCESS_FLAGS.filter((f) => !unknownAfter(rc, f));
  const turnedOff = known.filter((f) => isOn(before, f) && bool(after, f) === false);
  const turnedOn = known.filter((f) => bool(before, f) === false && isOn(after, f));
  const out: Finding[] = [];
  if (turnedOff.length > 0) out.push(finding("weakening", "buckets", rc, `Public access block of ${bucket}: ${list(turnedOff.map(code))} turned off.`));
  if (turnedOn.length > 0) out.push(finding("strengthening", "buckets", rc, `Public access block of ${bucket}: ${list(turnedOn.map(code))} turned on.`));
  return out;
};

const bucket: Rule = (rc) => {
  const { before, after } = sides(rc);
  return before !== null && after === null ? [finding("weakening", "buckets", rc, `${capitalized(bucketLabel(rc))} is deleted.`)] : [];
};

const versioning: Rule = (rc) => {
  const { before, after } = sides(rc);
  const status = (attrs: Attributes | null): string | undefined => str(block(attrs, "versioning_configuration") ?? null, "status");
  const name = bucketLabel(rc);
  if (before === null || unknownAfter(rc, "versioning_configuration")) return [];
  const was = status(before);
  const will = after === null ? "removed" : status(after);
  if (was === "Enabled" && will !== "Enabled") {
    return [finding("weakening", "buckets", rc, `Versioning of ${name} is ${will === "removed" ? "no longer managed" : "suspended"}: overwritten or deleted log files can no longer be recovered.`)];
  }
  if (was !== "Enabled" && will === "Enabled") return [finding("strengthening", "buckets", rc, `Versioning of ${name} is enabled.`)];
  return [];
};

// ---------------------------------------------------------------------------
// Encryption at rest

/** Default bucket encryption, weakest first: https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html */
const SSE_STRENGTH: Readonly<Record<string, number>> = { AES256: 1, "aws:kms": 2, "aws:kms:dsse": 3 };

const bucketEncryption: Rule = (rc) => {
  const { before, after } = sides(rc);
  const name = bucketLabel(rc);
  const algorithm = (attrs: Attributes | null): string | undefined =>
    str(block(block(attrs, "rule") ?? null, "apply_server_side_encryption_by_default") ?? null, "sse_algorithm");
  if (unknownAfter(rc, "rule")) return [];
  const was = algorithm(before);
  const will = algorithm(after);
  if (before !== null && after === null) {
    return [finding("weakening", "encryption", rc, `Default encryption of ${name} (${was ?? "unknown"}) is removed: S3 falls back to SSE-S3 (AES256) with no key of yours.`)];
  }
  if (before === null) {
    return will !== undefined ? [finding("strengthening", "encryption", rc, `${capitalized(name)} is encrypted by default with ${code(will)}.`)] : [];
  }
  if (was === undefined || will === undefined || was === will) return [];
  const rank = (a: string): number => SSE_STRENGTH[a] ?? 0;
  if (rank(will) < rank(was)) return [finding("weakening", "encryption", rc, `Default encryption of ${name} is downgraded from ${code(was)} to ${code(will)}.`)];
  if (rank(will) > rank(was)) return [finding("strengthening", "encryption", rc, `Default encryption of ${name} is upgraded from ${code(was)} to ${code(will)}.`)];
  return [finding("change", "encryption", rc, `Default encryption of ${name} changes from ${code(was)} to ${code(will)}.`)];
};

/** A KMS key reference attribute being removed (weakening) or added (strengthening). */
function encryptionKey(rc: ResourceChange, attribute: string, subject: string): Finding[] {
  const { before, after } = sides(rc);
  if (before === null || after === null || unknownAfter(rc, attribute)) return [];
  const had = str(before, attribute) !== undefined;
  const has = str(after, attribute) !== undefined;
  if (had && !has) return [finding("weakening", "encryption", rc, `${subject} is no longer encrypted with a KMS key.`)];
  if (!had && has) return [finding("strengthening", "encryption", rc, `${subject} is now encrypted with a KMS key.`)];
  return [];
}

const sqsQueue: Rule = (rc) => {
  const { before, after } = sides(rc);
  const queue = nameOf(rc, "name");
  if (before !== null && after === null) {
    return [finding("weakening", "dlq", rc, `Queue ${queue} is deleted: events kept there for replay are lost, and failed deliveries that used it are dropped.`)];
  }
  if (before === null || after === null || unknownAfter(rc, "kms_master_key_id")) return [];
  const level = (attrs: Attributes): number => (str(attrs, "kms_master_key_id") !== undefined ? 2 : bool(attrs, "sqs_managed_sse_enabled") === true ? 1 : 0);
  if (level(after) < level(before)) {
    return [finding("weakening", "encryption", rc, level(after) === 0 ? `Queue ${queue} is no longer encrypted at rest.` : `Queue ${queue} is no longer encrypted with a KMS key.`)];
  }
  if (level(after) > level(before)) return [finding("strengthening", "encryption", rc, `Queue ${queue} is now encrypted with ${level(after) === 2 ? "a KMS key" : "SQS-managed keys"}.`)];
  return [];
};

const kmsKey: Rule = (rc) => {
  const { before, after } = sides(rc);
  const key = nameOf(rc, "description", "key_id");
  if (before !== null && after === null) {
    return [finding("weakening", "encryption", rc, `KMS key ${key} is scheduled for deletion: whatever it encrypts becomes unreadable, and what uses it must change keys.`)];
  }
  return [
    ...flag(rc, "encryption", "enable_key_rotation", `KMS key ${key} no longer rotates automatically.`, `KMS key ${key} now rotates automatically.`),
    ...flag(rc, "encryption", "is_enabled", `KMS key ${key} is disabled: encryption and decryption with it fail.`, `KMS key ${key} is enabled.`),
  ];
};

const logGroup: Rule = (rc) => {
  const { before, after } = sides(rc);
  const group = nameOf(rc, "name");
  const out = encryptionKey(rc, "kms_key_id", `Log group ${group}`);
  if (before === null || after === null || unknownAfter(rc, "retention_in_days")) return out;
  // 0 means "never expire".
  const days = (value: unknown): number => (typeof value === "number" && value > 0 ? value : Infinity);
  const was = days(before.retention_in_days);
  const will = days(after.retention_in_days);
  if (will < was) out.push(finding("change", "trail", rc, `Log group ${group} keeps logs for ${will} days instead of ${was === Infinity ? "ever" : `${was} days`}.`));
  return out;
};

// ---------------------------------------------------------------------------
// Policies: who may do what

const POLICY_SUBJECTS: Readonly<Record<string, { attribute: string; subject: (rc: ResourceChange) => string; area: Area }>> = {
  aws_s3_bucket_policy: { attribute: "policy", subject: (rc) => `Policy of ${bucketLabel(rc)}`, area: "policies" },
  aws_sns_topic_policy: { attribute: "policy", subject: (rc) => `Policy of topic ${nameOf(rc, "arn")}`, area: "policies" },
  aws_sqs_queue_policy: { attribute: "policy", subject: (rc) => `Policy of queue ${queueName(rc)}`, area: "policies" },
  aws_kms_key: { attribute: "policy", subject: (rc) => `Policy of KMS key ${nameOf(rc, "description", "key_id")}`, area: "policies" },
  aws_iam_role: { attribute: "assume_role_policy", subject: (rc) => `Trust policy of role ${nameOf(rc, "name")}`, area: "permissions" },
  aws_iam_role_policy: { attribute: "policy", subject: (rc) => `Role ${roleName(rc)} (inline policy ${nameOf(rc, "name")})`, area: "permissions" },
  aws_iam_policy: { attribute: "policy", subject: (rc) => `Managed policy ${nameOf(rc, "name", "arn")}`, area: "permissions" },
};

/** The queue name is the last segment of its URL. */
function queueName(rc: ResourceChange): string {
  const { before, after } = sides(rc);
  const url = str(after, "queue_url") ?? str(before, "queue_url");
  return url !== undefined ? code(url.split("/").pop() ?? url) : code(rc.address);
}

function roleName(rc: ResourceChange): string {
  const { before, after } = sides(rc);
  const role = str(after, "role") ?? str(before, "role");
  return role !== undefined ? code(role) : "(created by this plan)";
}

/** True when the role a policy attaches to is itself created by this plan (its initial permissions are not a widening). */
function roleIsNew(rc: ResourceChange, ctx: PlanContext): boolean {
  if (unknownAfter(rc, "role")) return true;
  const role = str(sides(rc).after, "role");
  return ctx.changes.some(
    (c) => c.type === "aws_iam_role" && sides(c).before === null && (str(sides(c).after, "name") === role || str(sides(c).after, "id") === role),
  );
}

function grantSentences(subject: string, grants: readonly Grant[], verb: string): string[] {
  return describeGrants(grants).map(({ principal, text }) => {
    const who = describePrincipal(principal);
    return who === "" ? `${subject} ${verb} ${text}.` : `${subject} ${verb} ${who}: ${text}.`;
  });
}

const policyRule: Rule = (rc, ctx) => {
  const spec = POLICY_SUBJECTS[rc.type];
  if (spec === undefined) return [];
  const { before, after } = sides(rc);
  const subject = spec.subject(rc);
  if (after !== null && unknownAfter(rc, spec.attribute)) {
    // Typically a policy document read from a data source that depends on a resource changed in the same plan.
    return before !== null
      ? [finding("change", spec.area, rc, `${subject} is recomputed during apply: its new text is not in the plan, so it cannot be reviewed here.`)]
      : [];
  }
  const identity = rc.type === "aws_iam_role_policy" || rc.type === "aws_iam_policy";
  const allows = identity ? "may now" : "now allows";
  const disallows = identity ? "may no longer" : "no longer allows";
  const prior: PolicyFacts | undefined = before !== null ? parsePolicy(before[spec.attribute]) : undefined;
  const planned: PolicyFacts | undefined = after !== null ? parsePolicy(after[spec.attribute]) : undefined;
  const out: Finding[] = [];

  if (before === null) {
    if (planned === undefined) return [];
    // A new policy: only what is risky on its own, an unconditional grant to anyone; or new permissions for an existing role.
    const open = planned.grants.filter((g) => g.principal === "*" && !g.conditional);
    for (const sentence of grantSentences(subject, open, "allows")) out.push(finding("weakening", spec.area, rc, sentence));
    if (rc.type === "aws_iam_role_policy" && !roleIsNew(rc, ctx)) {
      for (const sentence of grantSentences(subject, planned.grants, "may now")) out.push(finding("weakening", spec.area, rc, sentence));
    }
    return out;
  }
  if (prior === undefined) return [];
  if (after === null) {
    if (prior.tlsOnly) out.push(finding("weakening", spec.area, rc, `${subject} is deleted, and with it the statement that refuses requests without TLS.`));
    if (identity) out.push(...grantSentences(subject, prior.grants, disallows).map((s) => finding("strengthening", spec.area, rc, s)));
    return out;
  }
  if (planned === undefined) return [];

  if (prior.tlsOnly && !planned.tlsOnly) {
    out.push(finding("weakening", spec.area, rc, `${subject} no longer refuses requests without TLS (\`aws:SecureTransport\` deny removed).`));
  }
  if (!prior.tlsOnly && planned.tlsOnly) out.push(finding("strengthening", spec.area, rc, `${subject} now refuses requests without TLS.`));
  for (const sentence of grantSentences(subject, addedGrants(prior.grants, planned.grants), allows)) out.push(finding("weakening", spec.area, rc, sentence));
  for (const sentence of grantSentences(subject, addedGrants(planned.grants, prior.grants), disallows)) out.push(finding("strengthening", spec.area, rc, sentence));
  return out;
};

const policyAttachment: Rule = (rc, ctx) => {
  const { before, after } = sides(rc);
  const arn = str(after, "policy_arn") ?? str(before, "policy_arn");
  const policy = arn !== undefined ? code(arn) : "a managed policy";
  if (before === null && after !== null && !roleIsNew(rc, ctx)) {
    return [finding("weakening", "permissions", rc, `Role ${roleName(rc)} gains ${policy}.`)];
  }
  if (before !== null && after === null) return [finding("strengthening", "permissions", rc, `Role ${roleName(rc)} loses ${policy}.`)];
  return [];
};

// ---------------------------------------------------------------------------
// Alarms: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html

const alarm: Rule = (rc) => {
  const { before, after } = sides(rc);
  const name = nameOf(rc, "alarm_name");
  if (before === null && after !== null) return [finding("strengthening", "alarms", rc, `Alarm ${name} is added.`)];
  if (before !== null && after === null) return [finding("weakening", "alarms", rc, `Alarm ${name} is removed.`)];
  if (before === null || after === null) return [];
  const out = flag(rc, "alarms", "actions_enabled", `Alarm ${name} no longer notifies anyone (actions disabled).`, `Alarm ${name} notifies again (actions enabled).`);
  if (!unknownAfter(rc, "alarm_actions")) {
    const dropped = strings(before.alarm_actions).filter((a) => !strings(after.alarm_actions).includes(a));
    if (dropped.length > 0) out.push(finding("weakening", "alarms", rc, `Alarm ${name} no longer notifies ${list(dropped.map(code))}.`));
  }
  return out;
};

const RULES: Readonly<Record<string, readonly Rule[]>> = {
  aws_cloudwatch_event_rule: [eventRule],
  aws_cloudwatch_event_target: [eventTarget],
  aws_lambda_function: [lambdaFunction],
  aws_lambda_function_event_invoke_config: [invokeConfig],
  aws_sns_topic: [snsTopic],
  aws_sns_topic_subscription: [subscription],
  aws_cloudtrail: [trail],
  aws_s3_bucket: [bucket],
  aws_s3_bucket_public_access_block: [publicAccessBlock],
  aws_s3_account_public_access_block: [publicAccessBlock],
  aws_s3_bucket_versioning: [versioning],
  aws_s3_bucket_server_side_encryption_configuration: [bucketEncryption],
  aws_sqs_queue: [sqsQueue],
  aws_kms_key: [kmsKey, policyRule],
  aws_cloudwatch_log_group: [logGroup],
  aws_s3_bucket_policy: [policyRule],
  aws_sns_topic_policy: [policyRule],
  aws_sqs_queue_policy: [policyRule],
  aws_iam_role: [policyRule],
  aws_iam_role_policy: [policyRule],
  aws_iam_policy: [policyRule],
  aws_iam_role_policy_attachment: [policyAttachment],
  aws_cloudwatch_metric_alarm: [alarm],
};

/** The resource types the review understands (documented in the summary's footer). */
export const REVIEWED_TYPES: readonly string[] = Object.keys(RULES).sort();

export function findingsFor(rc: ResourceChange, ctx: PlanContext): Finding[] {
  if (rc.mode !== "managed") return [];
  return (RULES[rc.type] ?? []).flatMap((rule) => rule(rc, ctx));
}
