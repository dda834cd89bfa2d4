/**
 * The alert as data for a SIEM or ticketing system: a versioned JSON document
 * (`cloudtrail-alerting/alert/v1`, JSON Schema in `handler/schemas/`,
 * described in the README) with the summary's facts as fields and the
 * original EventBridge event. Delivered with SNS raw message delivery, so the
 * subscriber receives exactly this body.
 *
 * Versioning: fields may be added within v1; a field is never removed,
 * renamed or given another type without a new `schema` value.
 *
 * Size: SNS accepts at most 262,144 bytes of message plus attributes
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html, `Message`),
 * and this is published without attributes. EventBridge events are at most
 * 256 KB themselves
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html),
 * so with the fields beside them a large event may not fit: its long strings
 * are then cut (`event_shortened`), and if even that does not fit (or the
 * event cannot be written as JSON) the event is left out (`event_omitted`)
 * and the fields, with the event ID to find it in CloudTrail, still go out.
 */
import { bounded, type AlertFields } from "./fields.js";

export const STRUCTURED_SCHEMA = "cloudtrail-alerting/alert/v1";

/** SNS's message limit less head-room for the publish request's own overhead. */
export const STRUCTURED_MAX_BYTES = 262_144 - 1_024;

export interface StructuredAlert {
  readonly schema: typeof STRUCTURED_SCHEMA;
  readonly kind: "cloudtrail" | "unrecognised";
  readonly verified: boolean;
  readonly subject: string;
  readonly severity: string | null;
  readonly preset: string | null;
  readonly event_id: string | null;
  readonly event_name: string | null;
  readonly event_source: string | null;
  readonly event_time: string | null;
  readonly account_id: string | null;
  readonly region: string | null;
  readonly actor: {
    readonly type: string;
    readonly name: string;
    readonly arn: string | null;
    readonly account_id: string | null;
    readonly principal_id: string | null;
    readonly access_key_id: string | null;
    readonly role_arn: string | null;
    readonly role_name: string | null;
    readonly sso_permission_set: string | null;
    readonly invoked_by: string | null;
    readonly mfa: "yes" | "no" | "not recorded";
    readonly is_root: boolean;
  } | null;
  readonly targets: readonly { readonly key: string; readonly value: string }[];
  readonly outcome: { readonly result: "success" | "failure"; readonly error_code: string | null; readonly error_message: string | null };
  readonly source_ip: string | null;
  readonly user_agent: string | null;
  readonly console_url: string | null;
  readonly eventbridge: { readonly id: string | null; readonly source: string | null; readonly detail_type: string | null };
  readonly unrecognised_reason: string | null;
  /** The EventBridge event as the notifier received it (after the rule's labels were taken off); null when omitted. */
  readonly event: unknown;
  readonly event_shortened: boolean;
  readonly event_omitted: { readonly reason: string; readonly original_bytes: number | null } | null;
}

export interface StructuredMessage {
  readonly message: string;
  readonly bytes: number;
  readonly eventShortened: boolean;
  readonly eventOmitted: boolean;
}

/** The SIEM message for one alert: `subject` as the email's, `fields` its facts, `event` the unwrapped event. */
export function structuredMessage(subject: string, fields: AlertFields, event: unknown): StructuredMessage {
  const base = structuredFields(subject, fields);
  const whole = tryStringify({ ...base, event, event_shortened: false, event_omitted: null });
  if (whole !== undefined && utf8Bytes(whole) <= STRUCTURED_MAX_BYTES) return done(whole, false, false);

  const shortened = tryStringify({ ...base, event: shortenedCopy(event), event_shortened: true, event_omitted: null });
  if (shortened !== undefined && utf8Bytes(shortened) <= STRUCTURED_MAX_BYTES) return done(shortened, true, false);

  const reason = `the event does not fit in one SNS message (${STRUCTURED_MAX_BYTES} bytes) even shortened; find it in CloudTrail by event_id`;
  const omitted = JSON.stringify({
    ...base,
    event: null,
    event_shortened: false,
    event_omitted: { reason, original_bytes: whole === undefined ? null : utf8Bytes(whole) },
  });
  return done(omitted, false, true);
}

export function structuredFields(subject: string, f: AlertFields): Omit<StructuredAlert, "event" | "event_shortened" | "event_omitted"> {
  const a = f.actor;
  return {
    schema: STRUCTURED_SCHEMA,
    kind: f.kind,
    verified: f.verified,
    subject: bounded(subject) ?? "",
    severity: f.severity ?? null,
    preset: f.preset ?? null,
    event_id: f.eventId ?? null,
    event_name: f.eventName ?? null,
    event_source: f.eventSource ?? null,
    event_time: f.eventTime ?? null,
    account_id: f.account ?? null,
    region: f.region ?? null,
    actor:
      a === undefined
        ? null
        : {
            type: a.type,
            name: a.name,
            arn: a.arn ?? null,
            account_id: a.accountId ?? null,
            principal_id: a.principalId ?? null,
            access_key_id: a.accessKeyId ?? null,
            role_arn: a.roleArn ?? null,
            role_name: a.roleName ?? null,
            sso_permission_set: a.ssoPermissionSet ?? null,
            invoked_by: a.invokedBy ?? null,
            mfa: a.mfa,
            is_root: a.isRoot,
          },
    targets: f.targets.map((t) => ({ key: t.key, value: t.value })),
    outcome: { result: f.failed ? "failure" : "success", error_code: f.errorCode ?? null, error_message: f.errorMessage ?? null },
    source_ip: f.sourceIp ?? null,
    user_agent: f.userAgent ?? null,
    console_url: f.kind === "cloudtrail" ? (f.consoleUrl ?? null) : null,
    eventbridge: { id: f.eventBridgeId ?? null, source: f.source ?? null, detail_type: f.detailType ?? null },
    unrecognised_reason: f.reason ?? null,
  };
}

function done(message: string, eventShortened: boolean, eventOmitted: boolean): StructuredMessage {
  return { message, bytes: utf8Bytes(message), eventShortened, eventOmitted };
}

/**
 * JSON.stringify, or undefined when the value cannot be written (V8 throws a
 * RangeError on nesting deeper than its stack). Its output is always
 * well-formed: lone surrogates are written as `\udXXX` escapes.
 */
function tryStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

const SHORT_STRING_CHARS = 512;
const MAX_ITEMS = 100;
const MAX_DEPTH = 16;

/**
 * A copy of `value` with strings over SHORT_STRING_CHARS cut (both ends kept),
 * arrays and objects cut to MAX_ITEMS entries and nesting below MAX_DEPTH
 * replaced by a note: what a reader needs to see of a huge event. Iterative
 * (any depth), linear in what it keeps, and `__proto__` keys are copied as
 * data (objects without a prototype), never as a prototype.
 */
export function shortenedCopy(value: unknown): unknown {
  const root: { value: unknown } = { value: undefined };
  const stack: { source: unknown; assign: (v: unknown) => void; depth: number }[] = [
    { source: value, assign: (v) => (root.value = v), depth: 0 },
  ];
  while (stack.length > 0) {
    const { source, assign, depth } = stack.pop()!;
    if (typeof source === "string") {
      assign(bounded(source, SHORT_STRING_CHARS));
    } else if (typeof source !== "object" || source === null) {
      assign(source);
    } else if (depth >= MAX_DEPTH) {
      assign(`[nested deeper than ${MAX_DEPTH} levels: not shown]`);
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(Math.min(source.length, MAX_ITEMS + (source.length > MAX_ITEMS ? 1 : 0)));
      assign(copy);
      for (let i = 0; i < Math.min(source.length, MAX_ITEMS); i += 1) {
        stack.push({ source: source[i], assign: (v) => (copy[i] = v), depth: depth + 1 });
      }
      if (source.length > MAX_ITEMS) copy[MAX_ITEMS] = `[${source.length - MAX_ITEMS} more items not shown]`;
    } else {
      const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      assign(copy);
      const keys = Object.keys(source);
      for (const key of keys.slice(0, MAX_ITEMS)) {
        const safeKey = bounded(key, SHORT_STRING_CHARS) ?? "";
        // Defined now, filled later: the copy keeps the source's key order.
        Object.defineProperty(copy, safeKey, { value: null, enumerable: true, writable: true, configurable: true });
        stack.push({ source: (source as Record<string, unknown>)[key], assign: (v) => (copy[safeKey] = v), depth: depth + 1 });
      }
      if (keys.length > MAX_ITEMS) {
        Object.defineProperty(copy, "…", { value: `${keys.length - MAX_ITEMS} more keys not shown`, enumerable: true });
      }
    }
  }
  return root.value;
}
