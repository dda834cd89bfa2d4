import { toAsciiFragment } from "./text.js";

/**
 * SNS String message attributes, for subscription filter policies. SNS
 * rejects empty values; untrusted values are made printable ASCII and
 * bounded, and not defanged (filter policies match them exactly). At most
 * ten: SQS subscriptions with raw message delivery discard messages with
 * more (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html).
 */
export function cleanAttributes(values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const clean = toAsciiFragment(value, 256);
    if (clean.length > 0) out[name] = clean;
  }
  return out;
}
