/**
 * The facts of one alert as data, for the destinations that are not a human
 * reading an email: the chat notification (`chat.ts`) and the structured
 * alert for a SIEM (`structured.ts`). Read from the same event the email
 * alert is formatted from, with the core's own readers (envelope, actor,
 * targets), so every destination says the same thing.
 *
 * Every string here is untrusted event data, made well-formed (lone
 * surrogates become U+FFFD, so no publish can fail on them) and bounded (cut
 * in the middle, both ends kept), but NOT escaped: each destination escapes
 * for its own rendering. The work per field is bounded by its limit, not by
 * the length of the value.
 */
import { classify } from "./envelope.js";
import { describeActor } from "./identity.js";
import { describeTargets } from "./targets.js";
import { asObject, str, type AlertContext, type JsonObject, type Severity } from "./types.js";

/** Longest value kept in a field; the original event carries the rest. */
export const FIELD_MAX_CHARS = 1_024;
/** Targets kept (the email summary shows the same selection). */
export const MAX_TARGETS = 8;

export interface ActorFields {
  /** `userIdentity.type` (IAMUser, AssumedRole, Root, AWSService...), or "Unknown". */
  readonly type: string;
  /** The short name the email subject uses ("root", "role/session", user name...). */
  readonly name: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly principalId?: string;
  readonly accessKeyId?: string;
  readonly roleArn?: string;
  readonly roleName?: string;
  readonly ssoPermissionSet?: string;
  readonly invokedBy?: string;
  readonly mfa: "yes" | "no" | "not recorded";
  readonly isRoot: boolean;
}

export interface TargetField {
  /** CloudTrail's own key (`userName`, `policyArn`, `resource`...). */
  readonly key: string;
  readonly value: string;
}

export interface AlertFields {
  readonly kind: "cloudtrail" | "unrecognised";
  /**
   * The event's `source` starts with `aws.`: only AWS services may send such
   * events to EventBridge; anyone allowed `events:PutEvents` can send others
   * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html, `Source`).
   */
  readonly verified: boolean;
  readonly source?: string;
  readonly detailType?: string;
  /** The EventBridge envelope's `id`. */
  readonly eventBridgeId?: string;
  /** Why the event could not be read as CloudTrail (kind "unrecognised" only). */
  readonly reason?: string;
  readonly eventId?: string;
  readonly eventName?: string;
  readonly eventSource?: string;
  readonly eventTime?: string;
  readonly account?: string;
  readonly region?: string;
  /** Who made the call (kind "cloudtrail" only). */
  readonly actor?: ActorFields;
  readonly targets: readonly TargetField[];
  /** The call failed: an error code or message, or a sign-in recorded as "Failure". */
  readonly failed: boolean;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly severity?: Severity;
  readonly preset?: string;
  /** The event in the CloudTrail console's Event history (see `consoleLink`). */
  readonly consoleUrl?: string;
}

/**
 * The alert's facts from the event the core formatted (the unwrapped
 * EventBridge event) and its labels. Never throws for any JSON input.
 */
export function readAlertFields(event: unknown, context: AlertContext = {}): AlertFields {
  const envelope = asObject(event);
  const source = bounded(str(envelope, "source"));
  const common = {
    verified: source?.startsWith("aws.") === true,
    source,
    detailType: bounded(str(envelope, "detail-type")),
    eventBridgeId: bounded(str(envelope, "id")),
    severity: context.severity,
    preset: bounded(context.preset),
  };
  const classified = classify(event);
  if (classified.kind === "unrecognised") {
    return defined<AlertFields>({
      ...common,
      kind: "unrecognised",
      reason: bounded(classified.reason),
      account: bounded(str(envelope, "account")),
      region: bounded(str(envelope, "region")),
      eventTime: bounded(str(envelope, "time")),
      targets: [],
      failed: false,
    });
  }

  const { record } = classified;
  const actor = describeActor(record);
  const eventName = str(record, "eventName");
  const errorCode = str(record, "errorCode");
  const errorMessage = str(record, "errorMessage");
  // Sign-in events report failure as responseElements.ConsoleLogin = "Failure", with no errorCode.
  const signInFailed = eventName !== undefined && ownString(asObject(record["responseElements"]), eventName) === "Failure";
  const region = bounded(str(record, "awsRegion") ?? classified.envelope.region);
  const eventId = bounded(str(record, "eventID"));
  return defined<AlertFields>({
    ...common,
    kind: "cloudtrail",
    eventId,
    eventName: bounded(eventName),
    eventSource: bounded(str(record, "eventSource")),
    eventTime: bounded(str(record, "eventTime") ?? classified.envelope.time),
    account: bounded(str(record, "recipientAccountId") ?? classified.envelope.account ?? actor.accountId),
    region,
    actor: defined<ActorFields>({
      type: bounded(actor.type) ?? "Unknown",
      name: bounded(actor.name) ?? "unknown",
      arn: bounded(actor.arn),
      accountId: bounded(actor.accountId),
      principalId: bounded(actor.principalId),
      accessKeyId: bounded(actor.accessKeyId),
      roleArn: bounded(actor.role?.arn),
      roleName: bounded(actor.role?.name),
      ssoPermissionSet: bounded(actor.ssoPermissionSet),
      invokedBy: bounded(actor.invokedBy),
      mfa: actor.mfa,
      isRoot: actor.isRoot,
    }),
    targets: describeTargets(record)
      .slice(0, MAX_TARGETS)
      .map((t) => ({ key: bounded(t.key) ?? "", value: bounded(t.value) ?? "" })),
    failed: errorCode !== undefined || errorMessage !== undefined || signInFailed,
    errorCode: bounded(errorCode),
    errorMessage: bounded(errorMessage),
    sourceIp: bounded(str(record, "sourceIPAddress")),
    userAgent: bounded(str(record, "userAgent")),
    consoleUrl: consoleLink(region, eventId),
  });
}

/**
 * The event's page in the CloudTrail console's Event history
 * (`/cloudtrail/home?region=R#/events/ID`, the route the console itself links
 * to; not a documented API, so the event ID shown beside it is the durable
 * reference). China and GovCloud regions have their own console domains. Both
 * parts are percent-encoded, including the characters `encodeURIComponent`
 * leaves alone (`*`, `_`, `~`, `!`, `'`, `(`, `)`), so the link cannot carry
 * chat formatting either. Inputs are well-formed (see `bounded`), so encoding
 * cannot throw.
 */
export function consoleLink(region: string | undefined, eventId: string | undefined): string {
  const r = region ?? "us-east-1";
  const host = /^cn-[a-z0-9-]+$/.test(r)
    ? "console.amazonaws.cn"
    : /^us-gov-[a-z0-9-]+$/.test(r)
      ? "console.amazonaws-us-gov.com"
      : /^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(r)
        ? `${r}.console.aws.amazon.com`
        : "console.aws.amazon.com";
  const fragment = eventId !== undefined ? `#/events/${strictEncode(eventId)}` : "#/events";
  return `https://${host}/cloudtrail/home?region=${strictEncode(r)}${fragment}`;
}

function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*~_.]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

const PRIOR_CUT = /…\[(\d{1,9}) chars\]…/;

/** Marker put where a value was cut: says how long it was. */
export function cutMarker(originalLength: number): string {
  return `…[${originalLength} chars]…`;
}

/**
 * `text` made well-formed and at most `maxChars` UTF-16 units long: longer
 * values keep their start and end around a marker giving the original length
 * (a reader needs both ends of a forged name). Works on a window of the
 * value, so a megabyte of input costs no more than `maxChars` of it.
 */
export function bounded(text: string | undefined, maxChars = FIELD_MAX_CHARS): string | undefined {
  if (text === undefined) return undefined;
  if (text.length <= maxChars) return wellFormed(text);
  // Cutting a value cut before (a field, shortened again for chat): say how long the original was.
  const prior = text.length <= 4 * FIELD_MAX_CHARS ? PRIOR_CUT.exec(text) : null;
  const marker = cutMarker(Math.max(text.length, prior !== null ? Number(prior[1]) : 0));
  const keep = Math.max(0, maxChars - marker.length);
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  // Cut on code-point boundaries: a half surrogate pair would become U+FFFD.
  const start = text.slice(0, head + 1);
  const end = tail > 0 ? text.slice(text.length - tail - 1) : "";
  return wellFormed(trimHigh(start, head) + marker + trimLow(end, tail));
}

/** The first `count` units, one fewer when that would end inside a surrogate pair. */
function trimHigh(text: string, count: number): string {
  const last = text.charCodeAt(count - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? count - 1 : count);
}

/** The last `count` units, one fewer when that would start inside a surrogate pair. */
function trimLow(text: string, count: number): string {
  if (count <= 0) return "";
  const first = text.charCodeAt(text.length - count);
  return text.slice(first >= 0xdc00 && first <= 0xdfff ? text.length - count + 1 : text.length - count);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Lone surrogates replaced by U+FFFD: the SDK cannot encode them, and no chat renders them. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\ufffd");
}

/** A string own property (never one inherited from Object.prototype, whatever the key). */
function ownString(obj: JsonObject | undefined, key: string): string | undefined {
  return obj !== undefined && Object.hasOwn(obj, key) ? str(obj, key) : undefined;
}

/** `T` with every property allowed to be undefined. */
type Loose<T> = { [K in keyof T]: T[K] | undefined };

/** Drops undefined properties, so optional fields are absent (the tsconfig uses exactOptionalPropertyTypes). */
function defined<T extends object>(value: Loose<T>): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}
