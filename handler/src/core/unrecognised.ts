import { assemble } from "./body.js";
import { show } from "./display.js";
import { line, NOT_RECORDED, unverifiedBanner } from "./summary.js";
import { fallbackSubject, SERVICE_NAME } from "./subject.js";
import { cleanAttributes } from "./attributes.js";
import { asObject, str, type Alert, type AlertContext } from "./types.js";

/**
 * An event the core cannot read as a CloudTrail event from EventBridge is
 * still published, with the reason and the raw payload, so nothing is lost.
 * `reason` is already rendered (see classify).
 */
export function formatUnrecognised(event: unknown, reason: string, verified: boolean, context: AlertContext): Alert {
  const envelope = asObject(event);
  const source = str(envelope, "source");
  const subject = fallbackSubject(verified);
  const attributes = cleanAttributes({
    alert_kind: "unrecognised",
    detail_type: str(envelope, "detail-type"),
    account_id: str(envelope, "account"),
    severity: context.severity,
    preset: context.preset,
  });
  const field = (key: string, maxChars: number): string => {
    const value = str(envelope, key);
    return value === undefined ? NOT_RECORDED : show(value, maxChars);
  };
  const summary = [
    ...(verified ? [] : [unverifiedBanner(source)]),
    "*** UNRECOGNISED EVENT ***",
    `${SERVICE_NAME} received an event it cannot read as a CloudTrail event delivered by EventBridge.`,
    "It is alerted anyway so that nothing is lost. Check the EventBridge rule or whoever invoked the function.",
    "",
    line("Reason", reason),
    line("EventBridge id", field("id", 128)),
    line("Source", field("source", 128)),
    line("Time", field("time", 64)),
  ].join("\n");
  const body = assemble({
    summary,
    heading: "Raw payload (JSON)",
    payload: event,
    subject,
    attributes,
    whereToFind: "Only an excerpt is in this function's CloudWatch logs; the full payload is wherever it was sent from.",
  });
  return {
    subject,
    message: body.message,
    attributes,
    meta: { kind: "unrecognised", verified, reason, shortened: body.shortened, billedBytes: body.billedBytes },
  };
}
