/**
 * Every preset's alert names the preset and its severity: each rule target's
 * input template, filled in as EventBridge does with a real sample event,
 * goes through the notifier's glue-level unwrapping and its pure core.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatAlert, unwrapLabelled } from "../../handler/src/core/index";
import { labelledInputTemplate } from "../../src/detection/event-rules";
import { IAM_EVENTS_LABEL, PRESETS } from "../../src/detection";
import { PROJECT_ROOT } from "../support/synth";

const record = JSON.parse(
  readFileSync(join(PROJECT_ROOT, "__tests__", "fixtures", "cloudtrail", "events", "cloudtrail", "StopLogging__1.json"), "utf8"),
);
const event = { version: "0", id: "1", "detail-type": "AWS API Call via CloudTrail", source: "aws.cloudtrail", account: "123837392027", region: "us-east-1", detail: record };

/** The input transformer's output: `<aws.events.event.json>` replaced by the event's JSON. */
const delivered = (template: string): unknown => JSON.parse(template.replace("<aws.events.event.json>", JSON.stringify(event)));

describe("alerts name their preset and severity", () => {
  it.each([...PRESETS.map((p) => [p.name, p.severity] as const), [IAM_EVENTS_LABEL.preset, IAM_EVENTS_LABEL.severity] as const])(
    "%s (%s)",
    (preset, severity) => {
      const { event: inner, context } = unwrapLabelled(delivered(labelledInputTemplate(preset, severity)));
      const alert = formatAlert(inner, context);

      expect(alert.subject.startsWith(`[${severity.toUpperCase()}] StopLogging by user/bert-jan`)).toBe(true);
      expect(alert.message).toContain(`Severity:     ${severity.toUpperCase()}, preset ${preset}`);
      expect(alert.attributes).toMatchObject({ preset, severity, event_name: "StopLogging", alert_kind: "cloudtrail" });
    },
  );
});
