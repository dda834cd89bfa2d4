import { classify, type CloudTrailEnvelope } from "./envelope.js";
import { describeActor, type Actor } from "./identity.js";
import { attributeBytes, fitJson, SAFETY_MARGIN_BYTES, SNS_MAX_MESSAGE_BYTES } from "./size.js";
import { describeTargets } from "./targets.js";
import {
  isValidSnsSubject,
  SNS_SUBJECT_MAX_CHARS,
  toSubjectFragment,
  toSummaryValue,
  truncateChars,
  utf8Bytes,
} from "./text.js";
import { asObject, str, withDefined, type Alert, type AlertContext, type JsonObject } from "./types.js";

export const SERVICE_NAME = "cloudtrail-alerting-notifier";

/** Subject used when an event cannot be summarised; also the last-resort subject. */
export const UNRECOGNISED_SUBJECT = `Unrecognised event received by ${SERVICE_NAME}`;

const LABEL_WIDTH = 14;
const NOT_RECORDED = "(not recorded)";

/**
 * The pure core: one incoming Lambda event in, one alert out. Never throws for
 * any JSON input; anything it cannot read becomes an "unrecognised event"
 * alert carrying the raw payload, so no event is dropped.
 */
export function formatAlert(event: unknown, context: AlertContext = {}): Alert {
  const classified = classify(event);
  return classified.kind === "cloudtrail"
    ? formatCloudTrail(classified.envelope, classified.record, context)
    : formatUnrecognised(event, classified.reason, context);
}

interface Facts {
  readonly eventName?: string;
  readonly eventSource?: string;
  readonly eventId?: string;
  readonly account?: string;
  readonly region?: string;
  readonly time?: string;
  readonly actor: Actor;
  readonly failure?: { readonly code?: string; readonly message?: string };
}

function readFacts(envelope: CloudTrailEnvelope, record: JsonObject): Facts {
  const actor = describeActor(record);
  const eventName = str(record, "eventName");
  const errorCode = str(record, "errorCode");
  const errorMessage = str(record, "errorMessage");
  // Sign-in events report failure as responseElements.ConsoleLogin = "Failure" with no errorCode.
  const signInFailed = eventName !== undefined && str(asObject(record["responseElements"]), eventName) === "Failure";
  const failed = errorCode !== undefined || errorMessage !== undefined || signInFailed;
  return withDefined({
    eventName,
    eventSource: str(record, "eventSource"),
    eventId: str(record, "eventID"),
    account: str(record, "recipientAccountId") ?? envelope.account ?? actor.accountId,
    region: str(record, "awsRegion") ?? envelope.region,
    time: str(record, "eventTime") ?? envelope.time,
    actor,
    failure: failed ? withDefined({ code: errorCode, message: errorMessage }) : undefined,
  });
}

function formatCloudTrail(envelope: CloudTrailEnvelope, record: JsonObject, context: AlertContext): Alert {
  const facts = readFacts(envelope, record);
  const subject = cloudTrailSubject(facts, context);
  const attributes = cleanAttributes({
    event_name: facts.eventName,
    event_source: facts.eventSource,
    account_id: facts.account,
    is_root: String(facts.actor.isRoot),
    is_error: String(facts.failure !== undefined),
    actor_type: facts.actor.type,
    detail_type: envelope.detailType,
    alert_kind: "cloudtrail",
    severity: context.severity,
    preset: context.preset,
  });
  const summary = cloudTrailSummary(facts, envelope, record, context);
  const body = assemble(summary, "Full CloudTrail event (JSON)", record, subject, attributes, facts.eventId);
  return {
    subject,
    message: body.message,
    attributes,
    meta: withDefined({
      kind: "cloudtrail" as const,
      eventId: facts.eventId,
      eventName: facts.eventName,
      eventSource: facts.eventSource,
      shortened: body.shortened,
      billedBytes: body.billedBytes,
    }),
  };
}

/**
 * Most important first: severity, root marker, event name, who, the account,
 * and whether it failed. When the whole would pass the SNS limit, the
 * user-controlled actor is squeezed first (down to 16 chars), then the error
 * code (down to 12), then the actor again (down to 8), so "FAILED" and the
 * account always survive.
 */
function cloudTrailSubject(facts: Facts, context: AlertContext): string {
  const prefix =
    (context.severity !== undefined ? `[${context.severity.toUpperCase()}] ` : "") + (facts.actor.isRoot ? "[ROOT] " : "");
  const eventName = toSubjectFragment(facts.eventName ?? "UnknownEvent", 40) || "UnknownEvent";
  const account = facts.account !== undefined ? ` in ${toSubjectFragment(facts.account, 20)}` : "";
  const code = facts.failure?.code;
  const render = (actorMax: number, codeMax: number): string => {
    const actor = toSubjectFragment(facts.actor.name, actorMax) || "unknown";
    const failure =
      facts.failure === undefined ? "" : ` FAILED${code !== undefined ? ` ${toSubjectFragment(code, codeMax)}` : ""}`;
    return `${prefix}${eventName} by ${actor}${account}${failure}`;
  };
  let [actorMax, codeMax] = [40, 48];
  let subject = render(actorMax, codeMax);
  while (subject.length > SNS_SUBJECT_MAX_CHARS && actorMax + codeMax > 20) {
    if (actorMax > 16) actorMax -= 1;
    else if (codeMax > 12) codeMax -= 1;
    else actorMax -= 1;
    subject = render(actorMax, codeMax);
  }
  subject = truncateChars(subject, SNS_SUBJECT_MAX_CHARS);
  // Final guard: whatever went wrong above, never hand SNS a subject it rejects.
  return isValidSnsSubject(subject) ? subject : UNRECOGNISED_SUBJECT;
}

function cloudTrailSummary(facts: Facts, envelope: CloudTrailEnvelope, record: JsonObject, context: AlertContext): string {
  const { actor } = facts;
  const lines: string[] = [];
  if (context.severity !== undefined || context.preset !== undefined) {
    lines.push(
      line("Severity", [context.severity?.toUpperCase(), context.preset && `preset ${context.preset}`].filter(Boolean).join(", ")),
    );
  }
  if (actor.isRoot) lines.push("*** ROOT USER ACTIVITY: the account's root user made this request ***");
  if (facts.failure !== undefined) lines.push(`*** FAILED: ${toSummaryValue(facts.failure.code ?? "the request did not succeed")} ***`);

  const service = facts.eventSource?.replace(/\.amazonaws\.com$/, "") ?? "unknown-service";
  const outcome = facts.failure === undefined ? "succeeded" : "FAILED";
  lines.push(
    toSummaryValue(
      `${actor.name} (${actor.type}) called ${service}:${facts.eventName ?? "UnknownEvent"}` +
        `${facts.account !== undefined ? ` in account ${facts.account}` : ""}; it ${outcome}.`,
      400,
    ),
    "",
  );

  lines.push(line("Action", `${facts.eventName ?? NOT_RECORDED} (${facts.eventSource ?? "event source not recorded"})`));
  lines.push(line("Outcome", outcomeText(facts.failure)));
  lines.push(line("Actor", `${actor.name} (${actor.type})`));
  if (actor.arn !== undefined) lines.push(line("Actor ARN", actor.arn));
  if (actor.role !== undefined) {
    const sso = actor.ssoPermissionSet !== undefined ? ` (IAM Identity Center permission set ${actor.ssoPermissionSet})` : "";
    lines.push(line("Role", `${actor.role.arn ?? actor.role.name ?? NOT_RECORDED}${sso}`));
  }
  if (actor.invokedBy !== undefined) lines.push(line("Invoked by", actor.invokedBy));
  lines.push(line("MFA used", actor.mfa));
  if (actor.accessKeyId !== undefined) lines.push(line("Access key", actor.accessKeyId));
  const targets = describeTargets(record);
  lines.push(line("Target", targets.length === 0 ? NOT_RECORDED : targets.map((t) => `${t.key}=${t.value}`).join(", "), 600));
  lines.push(line("Time (UTC)", timeText(facts.time)));
  lines.push(line("Account", facts.account ?? NOT_RECORDED));
  lines.push(line("Region", facts.region ?? NOT_RECORDED));
  lines.push(line("Source IP", str(record, "sourceIPAddress") ?? NOT_RECORDED));
  lines.push(line("User agent", str(record, "userAgent") ?? NOT_RECORDED));
  lines.push(line("Event ID", facts.eventId ?? `${NOT_RECORDED}; the record has no eventID`));
  lines.push(line("CloudTrail", cloudTrailConsoleUrl(facts.region, facts.eventId)));
  lines.push(line("Delivered as", `${envelope.detailType}, EventBridge id ${envelope.id ?? NOT_RECORDED}`));
  return lines.join("\n");
}

function outcomeText(failure: Facts["failure"]): string {
  if (failure === undefined) return "success";
  const parts = [failure.code, failure.message].filter((p): p is string => p !== undefined);
  return `FAILED - ${parts.length > 0 ? parts.join(": ") : "no error code recorded"}`;
}

const CLOUDTRAIL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** CloudTrail writes eventTime in UTC ("2023-07-10T12:23:15Z"); anything else is converted when possible. */
function timeText(time: string | undefined): string {
  if (time === undefined) return NOT_RECORDED;
  if (CLOUDTRAIL_TIME.test(time)) return time;
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? `${time} (not a recognised timestamp)` : `${new Date(parsed).toISOString()} (recorded as ${time})`;
}

/**
 * Link to the event in the CloudTrail console's Event history. The console
 * route (`/cloudtrail/home?region=R#/events/ID`) is what the console itself
 * uses for an event's detail page; it is not a documented API, so the Event
 * ID printed beside it is the durable reference. China and GovCloud regions
 * live on their own console domains. Region names are not validated:
 * anonymised samples carry invented regions, and a link that does not resolve
 * is better than no alert.
 */
export function cloudTrailConsoleUrl(region: string | undefined, eventId: string | undefined): string {
  const r = encodeURIComponent(region ?? "us-east-1");
  const host = region?.startsWith("cn-")
    ? "https://console.amazonaws.cn"
    : region?.startsWith("us-gov-")
      ? "https://console.amazonaws-us-gov.com"
      : /^[a-z0-9-]+$/.test(r)
        ? `https://${r}.console.aws.amazon.com`
        : "https://console.aws.amazon.com";
  const fragment = eventId !== undefined ? `#/events/${encodeURIComponent(eventId)}` : "#/events";
  return `${host}/cloudtrail/home?region=${r}${fragment}`;
}

function formatUnrecognised(event: unknown, reason: string, context: AlertContext): Alert {
  const envelope = asObject(event);
  const attributes = cleanAttributes({
    alert_kind: "unrecognised",
    detail_type: str(envelope, "detail-type"),
    account_id: str(envelope, "account"),
    severity: context.severity,
    preset: context.preset,
  });
  const summary = [
    "*** UNRECOGNISED EVENT ***",
    `${SERVICE_NAME} received an event it cannot read as a CloudTrail event delivered by EventBridge.`,
    "It is alerted anyway so that nothing is lost. Check the EventBridge rule or whoever invoked the function.",
    "",
    line("Reason", reason, 600),
    line("EventBridge id", str(envelope, "id") ?? NOT_RECORDED),
    line("Source", str(envelope, "source") ?? NOT_RECORDED),
    line("Time", str(envelope, "time") ?? NOT_RECORDED),
  ].join("\n");
  const body = assemble(summary, "Raw payload (JSON)", event, UNRECOGNISED_SUBJECT, attributes, undefined);
  return {
    subject: UNRECOGNISED_SUBJECT,
    message: body.message,
    attributes,
    meta: { kind: "unrecognised", reason, shortened: body.shortened, billedBytes: body.billedBytes },
  };
}

/** Summary, then the JSON section, shortened so the whole publish fits SNS's byte limit. */
function assemble(
  summary: string,
  heading: string,
  payload: unknown,
  subject: string,
  attributes: Readonly<Record<string, string>>,
  eventId: string | undefined,
): { message: string; shortened: boolean; billedBytes: number } {
  const overhead = attributeBytes(attributes) + utf8Bytes(subject) + SAFETY_MARGIN_BYTES;
  // Reserve room for the longest note we might add.
  const noteReserve = 600;
  const head = `${summary}\n\n----- ${heading} -----\n`;
  const budget = SNS_MAX_MESSAGE_BYTES - overhead - utf8Bytes(head) - noteReserve;
  const fitted = fitJson(payload, budget);
  const note = fitted.shortened
    ? `NOTE: this JSON was SHORTENED to fit the 256 KB SNS message limit (the original is ${fitted.originalBytes} bytes). ` +
      (eventId !== undefined
        ? `Find the full record in CloudTrail by event ID ${eventId} (link above), or in the trail's S3 log files.\n`
        : "The full payload is in this function's CloudWatch logs (logged at error level, shortened) and at its source.\n")
    : "";
  const message = `${head}${note}${fitted.text}\n`;
  return { message, shortened: fitted.shortened, billedBytes: utf8Bytes(message) + attributeBytes(attributes) };
}

function line(label: string, value: string, maxChars?: number): string {
  return `${`${label}:`.padEnd(Math.max(LABEL_WIDTH, label.length + 2))}${toSummaryValue(value, maxChars)}`;
}

/** SNS rejects empty attribute values; untrusted values are made printable and bounded. */
function cleanAttributes(values: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const clean = toSubjectFragment(value, 256);
    if (clean.length > 0) out[name] = clean;
  }
  return out;
}
