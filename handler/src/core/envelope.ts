import { show } from "./display.js";
import { asObject, str, withDefined, type JsonObject } from "./types.js";

/**
 * The EventBridge envelope around a CloudTrail record
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html):
 * `version`, `id`, `detail-type`, `source`, `account`, `time`, `region`,
 * `resources`, `detail`. CloudTrail delivers with `detail-type`
 * "AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail",
 * "AWS Service Event via CloudTrail" and others of the same form
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html),
 * and `detail` is the CloudTrail record itself.
 */
export interface CloudTrailEnvelope {
  readonly id?: string;
  readonly source?: string;
  readonly detailType: string;
  readonly account?: string;
  readonly region?: string;
  readonly time?: string;
}

export type Classified =
  | { readonly kind: "cloudtrail"; readonly envelope: CloudTrailEnvelope; readonly record: JsonObject }
  | { readonly kind: "unrecognised"; readonly reason: string };

/** Every CloudTrail detail-type ends like this; the documentation itself spells "Sign In"/"Signin" both ways. */
const CLOUDTRAIL_DETAIL_TYPE = /\bvia CloudTrail$/i;

/**
 * Whether an AWS service emitted the event. The `aws.` source prefix is
 * reserved: PutEvents refuses it from anyone else
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html,
 * `Source`), while any principal allowed `events:PutEvents` on the bus can
 * send an event with another source shaped exactly like a CloudTrail record.
 * A payload without a source (a direct invocation) is not verified either.
 */
export function isVerifiedSource(event: unknown): boolean {
  const source = str(asObject(event), "source");
  return source !== undefined && source.startsWith("aws.");
}

/** The event's `source`, if it is a string. */
export function sourceOf(event: unknown): string | undefined {
  return str(asObject(event), "source");
}

export function classify(event: unknown): Classified {
  const envelope = asObject(event);
  if (envelope === undefined) {
    return { kind: "unrecognised", reason: `the event is ${describeType(event)}, not an EventBridge event object` };
  }
  const detailType = envelope["detail-type"];
  if (typeof detailType !== "string") {
    return { kind: "unrecognised", reason: "the event has no \"detail-type\" string, so it is not an EventBridge event" };
  }
  if (!CLOUDTRAIL_DETAIL_TYPE.test(detailType)) {
    return { kind: "unrecognised", reason: `"detail-type" is ${show(detailType, 128, { quoted: true })}, not a CloudTrail event` };
  }
  const record = asObject(envelope["detail"]);
  if (record === undefined) {
    return { kind: "unrecognised", reason: `"detail" is ${describeType(envelope["detail"])}, not a CloudTrail record object` };
  }
  return {
    kind: "cloudtrail",
    record,
    envelope: withDefined({
      detailType,
      id: str(envelope, "id"),
      source: str(envelope, "source"),
      account: str(envelope, "account"),
      region: str(envelope, "region"),
      time: str(envelope, "time"),
    }),
  };
}

function describeType(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
