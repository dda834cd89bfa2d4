import { accountName } from "./account.js";
import { show } from "./display.js";
import type { CloudTrailEnvelope } from "./envelope.js";
import type { Facts } from "./facts.js";
import type { Actor } from "./identity.js";
import { describeTargets } from "./targets.js";
import { wellFormed } from "./text.js";
import { str, type AlertContext, type JsonObject } from "./types.js";

const LABEL_WIDTH = 14;
export const NOT_RECORDED = "(not recorded)";

/** `userIdentity.type` values shown bare; any other type string is quoted like a name. */
const KNOWN_TYPES = new Set([
  "Root",
  "IAMUser",
  "AssumedRole",
  "Role",
  "FederatedUser",
  "SAMLUser",
  "WebIdentityUser",
  "IdentityCenterUser",
  "Directory",
  "AWSService",
  "AWSAccount",
  "Unknown",
]);

/** One labelled summary line; `value` must already be rendered (see `show`). */
export function line(label: string, value: string): string {
  return `${`${label}:`.padEnd(Math.max(LABEL_WIDTH, label.length + 2))}${value}`;
}

/** The first line of every alert about an event an AWS service did not emit. */
export function unverifiedBanner(source: string | undefined): string {
  const from = source === undefined ? "it has no source" : `its source is ${show(source, 64, { quoted: true })}, not aws.*`;
  return (
    `*** UNVERIFIED: this event was not emitted by an AWS service (${from}). Anyone allowed events:PutEvents ` +
    "on the bus can send one like it, so nothing below was recorded by AWS; look the event ID up in CloudTrail. ***"
  );
}

/** The actor's type, then its name in quotes: `IAMUser "bert-jan"`, so no name can pose as a type or a sentence. */
export function actorText(actor: Actor, nameMax: number): string {
  if (actor.isRoot) return "Root (the account's root user)";
  const type = KNOWN_TYPES.has(actor.type) ? actor.type : show(actor.type, 32, { quoted: true });
  return `${type} ${show(actor.name, nameMax, { quoted: true })}`;
}

export function cloudTrailSummary(facts: Facts, envelope: CloudTrailEnvelope, record: JsonObject, context: AlertContext): string {
  const { actor } = facts;
  const lines: string[] = [];
  if (!facts.verified) lines.push(unverifiedBanner(envelope.source));
  if (context.severity !== undefined || context.preset !== undefined) {
    const preset = context.preset !== undefined ? `preset ${show(context.preset, 64)}` : undefined;
    lines.push(line("Severity", [context.severity?.toUpperCase(), preset].filter(Boolean).join(", ")));
  }
  if (actor.isRoot && facts.verified) lines.push("*** ROOT USER ACTIVITY: the account's root user made this request ***");
  if (facts.failure !== undefined) lines.push(`*** FAILED: ${show(facts.failure.code ?? "the request did not succeed", 100)} ***`);

  const action = `${apiName(serviceOf(facts.eventSource))}:${apiName(facts.eventName ?? "UnknownEvent")}`;
  const outcome = facts.failure === undefined ? "succeeded" : "FAILED";
  const name = accountName(facts, context);
  const accountText = facts.account === undefined ? undefined : name !== undefined ? `${show(name, 64)} (${show(facts.account, 32)})` : show(facts.account, 32);
  const account = accountText !== undefined ? ` in account ${accountText}${facts.region !== undefined ? `, ${show(facts.region, 32)}` : ""}` : "";
  lines.push(`${actorText(actor, 96)} called ${action}${account}; it ${outcome}.`, "");

  lines.push(line("Action", action));
  lines.push(line("Outcome", outcomeText(facts.failure)));
  lines.push(line("Actor", actorText(actor, 160)));
  if (actor.arn !== undefined) lines.push(line("Actor ARN", show(actor.arn, 300)));
  if (actor.role !== undefined) {
    const set = actor.ssoPermissionSet;
    const sso = set !== undefined ? ` (IAM Identity Center permission set ${show(set, 64)})` : "";
    lines.push(line("Role", `${show(actor.role.arn ?? actor.role.name ?? NOT_RECORDED, 300)}${sso}`));
  }
  if (actor.invokedBy !== undefined) lines.push(line("Invoked by", show(actor.invokedBy, 128)));
  lines.push(line("MFA used", actor.mfa));
  if (actor.accessKeyId !== undefined) lines.push(line("Access key", show(actor.accessKeyId, 64)));
  const targets = describeTargets(record).map((t) => `${t.key}=${show(t.value, 160)}`);
  lines.push(line("Target", targets.length === 0 ? NOT_RECORDED : targets.join(", ")));
  lines.push(line("Time (UTC)", timeText(facts.time)));
  lines.push(line("Account", accountText ?? NOT_RECORDED));
  lines.push(line("Region", facts.region !== undefined ? show(facts.region, 64) : NOT_RECORDED));
  lines.push(line("Source IP", shownField(record, "sourceIPAddress", 128)));
  lines.push(line("User agent", shownField(record, "userAgent", 300)));
  lines.push(line("Event ID", facts.eventId !== undefined ? show(facts.eventId, 128) : `${NOT_RECORDED}; the record has no eventID`));
  lines.push(line("CloudTrail", cloudTrailConsoleUrl(facts.region, facts.eventId)));
  lines.push(line("Delivered as", `${show(envelope.detailType, 128)}, EventBridge id ${show(envelope.id ?? NOT_RECORDED, 128)}`));
  return lines.join("\n");
}

function shownField(record: JsonObject, key: string, maxChars: number): string {
  const value = str(record, key);
  return value === undefined ? NOT_RECORDED : show(value, maxChars);
}

/** Service prefixes and event names are words like `iam` and `CreateUser`; anything else is quoted like a name. */
function apiName(raw: string): string {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(raw) ? show(raw, 64) : show(raw, 64, { quoted: true });
}

/** `iam` from `iam.amazonaws.com`, the prefix IAM policies use for the service's actions. */
function serviceOf(eventSource: string | undefined): string {
  if (eventSource === undefined) return "unknown-service";
  return eventSource.endsWith(".amazonaws.com") ? eventSource.slice(0, -".amazonaws.com".length) : eventSource;
}

function outcomeText(failure: Facts["failure"]): string {
  if (failure === undefined) return "success";
  const parts = [];
  if (failure.code !== undefined) parts.push(show(failure.code, 100));
  if (failure.message !== undefined) parts.push(show(failure.message, 600));
  return `FAILED - ${parts.length > 0 ? parts.join(": ") : "no error code recorded"}`;
}

const CLOUDTRAIL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** CloudTrail writes eventTime in UTC ("2023-07-10T12:23:15Z"); anything else is converted when possible. */
function timeText(time: string | undefined): string {
  if (time === undefined) return NOT_RECORDED;
  if (time.length <= 40 && CLOUDTRAIL_TIME.test(time)) return time;
  const parsed = time.length <= 64 ? Date.parse(time) : Number.NaN;
  return Number.isNaN(parsed)
    ? `${show(time, 64)} (not a recognised timestamp)`
    : `${new Date(parsed).toISOString()} (recorded as ${show(time, 64)})`;
}

/** Event IDs are UUIDs; anything much longer is left out of the link (it is printed on the Event ID line). */
const MAX_LINKED_EVENT_ID = 128;

/**
 * Link to the event in the CloudTrail console's Event history. The console
 * route (`/cloudtrail/home?region=R#/events/ID`) is what the console itself
 * uses for an event's detail page; it is not a documented API, so the Event
 * ID printed beside it is the durable reference. China and GovCloud regions
 * live on their own console domains. Region names are not validated:
 * anonymised samples carry invented regions, and a link that does not resolve
 * is better than no alert. The host is always an AWS console host; the
 * region goes into it only when it is a plain region-like name, and the
 * values are made well-formed first (encodeURIComponent throws URIError on a
 * lone surrogate).
 */
export function cloudTrailConsoleUrl(region: string | undefined, eventId: string | undefined): string {
  const r = encodeURIComponent(wellFormed((region ?? "us-east-1").slice(0, 64)));
  const host = region?.startsWith("cn-")
    ? "https://console.amazonaws.cn"
    : region?.startsWith("us-gov-")
      ? "https://console.amazonaws-us-gov.com"
      : /^[a-z0-9-]+$/.test(r)
        ? `https://${r}.console.aws.amazon.com`
        : "https://console.aws.amazon.com";
  const linked = eventId !== undefined && eventId.length <= MAX_LINKED_EVENT_ID;
  const fragment = linked ? `#/events/${encodeURIComponent(wellFormed(eventId))}` : "#/events";
  return `${host}/cloudtrail/home?region=${r}${fragment}`;
}
