import { cleanAttributes } from "./attributes.js";
import { assemble } from "./body.js";
import { show } from "./display.js";
import { classify, isVerifiedSource, sourceOf, type CloudTrailEnvelope } from "./envelope.js";
import { writeJson } from "./json.js";
import { readFacts } from "./facts.js";
import { attributeBytes, SNS_MAX_MESSAGE_BYTES } from "./size.js";
import { cloudTrailSubject, fallbackSubject, SERVICE_NAME } from "./subject.js";
import { cloudTrailSummary, unverifiedBanner } from "./summary.js";
import { isValidSnsSubject, truncateUtf8, utf8Bytes, wellFormed } from "./text.js";
import { withDefined, type Alert, type AlertContext, type JsonObject } from "./types.js";
import { formatUnrecognised } from "./unrecognised.js";

/** Log keys (event id, name, source): printable and bounded, but not defanged, so they stay searchable. */
const LOG_KEY_CHARS = 128;
const FAILSAFE_EXCERPT_BYTES = 200_000;

/**
 * The pure core: one incoming Lambda event in, one alert out. Never throws for
 * any JSON input; anything it cannot read becomes an "unrecognised event"
 * alert carrying the raw payload, so no event is dropped. Every string of
 * the result is well-formed UTF-16 (no lone surrogates reach the SDK), the
 * subject is valid for SNS, and message plus attributes fit SNS's limit.
 */
export function formatAlert(event: unknown, context: AlertContext = {}): Alert {
  const verified = isVerifiedSource(event);
  const classified = classify(event);
  const alert =
    classified.kind === "cloudtrail"
      ? formatCloudTrail(classified.envelope, classified.record, verified, context)
      : formatUnrecognised(event, classified.reason, verified, context);
  return finalise(alert);
}

/**
 * For the glue, when formatting itself failed (a bug): a fixed subject, the
 * error, and a compact excerpt of the payload written by the same iterative,
 * budgeted writer. Built from as little as possible so that it cannot fail
 * the same way.
 */
export function formatFailsafe(event: unknown, error: string): Alert {
  const verified = attempt(() => isVerifiedSource(event), false);
  const source = attempt(() => sourceOf(event), undefined);
  const excerpt = attempt(() => writeJson(event, { maxBytes: FAILSAFE_EXCERPT_BYTES, pretty: false }), undefined);
  const payload =
    excerpt === undefined
      ? "----- The payload could not be written either -----\n"
      : `----- Payload excerpt (compact JSON${excerpt.complete ? "" : ", cut"}) -----\n${excerpt.text}\n`;
  const message =
    (verified ? "" : `${unverifiedBanner(source)}\n`) +
    `*** ${SERVICE_NAME} could not format this event; it is alerted anyway so that nothing is lost ***\n` +
    `Error: ${show(error, 600)}\n\n${payload}`;
  return finalise({
    subject: fallbackSubject(verified),
    message,
    attributes: cleanAttributes({ alert_kind: "unrecognised" }),
    meta: { kind: "unrecognised", verified, reason: "formatting failed", shortened: excerpt?.complete !== true, billedBytes: utf8Bytes(message) },
  });
}

function attempt<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function formatCloudTrail(envelope: CloudTrailEnvelope, record: JsonObject, verified: boolean, context: AlertContext): Alert {
  const facts = readFacts(envelope, record, verified);
  const subject = cloudTrailSubject(facts, context);
  const attributes = cleanAttributes({
    event_name: facts.eventName,
    event_source: facts.eventSource,
    account_id: facts.account,
    is_root: String(facts.actor.isRoot),
    is_error: String(facts.failure !== undefined),
    actor_type: facts.actor.type,
    detail_type: envelope.detailType,
    alert_kind: verified ? "cloudtrail" : "unverified",
    severity: context.severity,
    preset: context.preset,
  });
  const eventId = facts.eventId === undefined ? undefined : show(facts.eventId, 128);
  const body = assemble({
    summary: cloudTrailSummary(facts, envelope, record, context),
    heading: "Full CloudTrail event (JSON)",
    payload: record,
    subject,
    attributes,
    whereToFind:
      eventId !== undefined
        ? `Find the full record in CloudTrail by event ID ${eventId} (link above), or in the trail's S3 log files.`
        : "The record has no event ID; find it in the trail's S3 log files by time and event name.",
  });
  return {
    subject,
    message: body.message,
    attributes,
    meta: withDefined({
      kind: "cloudtrail" as const,
      verified,
      eventId: logKey(facts.eventId),
      eventBridgeId: logKey(envelope.id),
      eventName: logKey(facts.eventName),
      eventSource: logKey(facts.eventSource),
      shortened: body.shortened,
      billedBytes: body.billedBytes,
    }),
  };
}

function logKey(value: string | undefined): string | undefined {
  return value === undefined ? undefined : show(value, LOG_KEY_CHARS, { defang: false });
}

/**
 * The invariants, enforced once more on the way out whatever happened above:
 * a valid subject, well-formed strings (the SDK's query serialiser throws on a
 * lone surrogate and leaves its buffer dirty for the next publish), and
 * message plus attributes within SNS's limit.
 */
function finalise(alert: Alert): Alert {
  const subject = isValidSnsSubject(alert.subject) ? alert.subject : fallbackSubject(alert.meta.verified);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(alert.attributes)) attributes[name] = wellFormed(value);
  let message = wellFormed(alert.message);
  const room = SNS_MAX_MESSAGE_BYTES - attributeBytes(attributes);
  if (utf8Bytes(message) > room) message = `${truncateUtf8(message, room - 64)}\n... [cut: the message did not fit]\n`;
  return { ...alert, subject, message, attributes };
}
