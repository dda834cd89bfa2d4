import { asObject, type AlertContext, type Severity } from "./types.js";

const SEVERITIES: readonly Severity[] = ["critical", "high", "medium"];

export interface Unwrapped {
  /** The EventBridge event itself (or whatever the input carried as `event`). */
  readonly event: unknown;
  /** Labels the rule's target added; empty for an event delivered as is. */
  readonly context: AlertContext;
}

/**
 * The rules' targets wrap each event with an input transformer
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html):
 * `{"preset": "...", "severity": "...", "event": <aws.events.event.json>}`.
 * This recognises that wrapper and returns the event with the labels; any
 * other input (a bare EventBridge event, as from a rule without labels or a
 * replay of an older dead-letter message) is returned unchanged. An unknown
 * severity is dropped rather than shown; the preset name is kept.
 *
 * Never throws: a wrapper whose `event` is malformed still yields that
 * `event`, which the core turns into an "unrecognised event" alert with the
 * labels, so nothing is dropped.
 */
export function unwrapLabelled(input: unknown): Unwrapped {
  const wrapper = asObject(input);
  if (wrapper === undefined || !("event" in wrapper) || "detail-type" in wrapper) return { event: input, context: {} };
  const preset = typeof wrapper["preset"] === "string" && wrapper["preset"] !== "" ? wrapper["preset"] : undefined;
  const severity = SEVERITIES.find((s) => s === wrapper["severity"]);
  if (preset === undefined && severity === undefined) return { event: input, context: {} };
  return {
    event: wrapper["event"],
    context: { ...(preset !== undefined ? { preset } : {}), ...(severity !== undefined ? { severity } : {}) },
  };
}
