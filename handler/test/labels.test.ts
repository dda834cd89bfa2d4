/**
 * The labelled shape the rules' targets deliver (input transformer
 * `{"preset","severity","event":<aws.events.event.json>}`): recognised,
 * unwrapped, and carried into subject, summary and attributes; malformed
 * wrappers still alert; bare events (older dead-letter messages) still work.
 */
import type { PublishCommand, PublishCommandOutput } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { formatAlert, unwrapLabelled, UNRECOGNISED_SUBJECT } from "../src/core/index.js";
import { createHandler, type SnsSender } from "../src/handler.js";
import { createLogger } from "../src/logger.js";
import { loadRecord, toEventBridgeEvent } from "./support/samples.js";

const stopLogging = toEventBridgeEvent(loadRecord("events/cloudtrail/StopLogging__4.json"));
/** What EventBridge hands the function: the template with the event substituted, parsed. */
const wrap = (event: unknown, preset = "monitoring-tamper", severity = "critical"): unknown =>
  JSON.parse(`{"preset":${JSON.stringify(preset)},"severity":${JSON.stringify(severity)},"event":${JSON.stringify(event)}}`);

function setup() {
  const sent: PublishCommand[] = [];
  const sns: SnsSender = {
    send: async (command) => {
      sent.push(command);
      return { MessageId: `msg-${sent.length}`, $metadata: {} } as PublishCommandOutput;
    },
  };
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ service: "test", write: (_level, raw) => logs.push(JSON.parse(raw) as Record<string, unknown>) });
  return { handler: createHandler({ sns, topicArn: "arn:aws:sns:us-east-1:123456789012:alerts", logger }), sent, logs };
}

describe("unwrapLabelled", () => {
  it("returns the event and the labels of a wrapper", () => {
    expect(unwrapLabelled(wrap(stopLogging))).toEqual({ event: stopLogging, context: { preset: "monitoring-tamper", severity: "critical" } });
  });

  it("leaves a bare EventBridge event alone", () => {
    expect(unwrapLabelled(stopLogging)).toEqual({ event: stopLogging, context: {} });
  });

  it("drops a severity it does not know, keeps the preset", () => {
    expect(unwrapLabelled(wrap(stopLogging, "p", "urgent")).context).toEqual({ preset: "p" });
  });

  it("does not take an object with an unrelated `event` key for a wrapper", () => {
    const other = { event: "x", something: 1 };
    expect(unwrapLabelled(other)).toEqual({ event: other, context: {} });
  });
});

describe("the handler on labelled events", () => {
  it("publishes the same alert as for the bare event, with severity in the subject and preset and severity as attributes", async () => {
    const { handler, sent, logs } = setup();

    await handler(wrap(stopLogging));

    const bare = formatAlert(stopLogging);
    const input = sent[0]!.input;
    expect(input.Subject).toBe(`[CRITICAL] ${bare.subject}`);
    expect(input.Message).toContain("Severity:     CRITICAL, preset monitoring-tamper");
    expect(input.Message).toContain(`"eventID": "${String((stopLogging as { detail: { eventID: string } }).detail.eventID)}"`);
    expect(input.MessageAttributes?.["severity"]).toEqual({ DataType: "String", StringValue: "critical" });
    expect(input.MessageAttributes?.["preset"]).toEqual({ DataType: "String", StringValue: "monitoring-tamper" });
    expect(input.MessageAttributes?.["event_name"]).toEqual({ DataType: "String", StringValue: "StopLogging" });
    expect(logs.at(-1)).toMatchObject({ message: "alert published", preset: "monitoring-tamper", severity: "critical" });
  });

  it.each([
    ["null", null, `[UNVERIFIED] ${UNRECOGNISED_SUBJECT}`],
    ["a string", "not an event", `[UNVERIFIED] ${UNRECOGNISED_SUBJECT}`],
    ["an object without detail-type", { hello: "world" }, `[UNVERIFIED] ${UNRECOGNISED_SUBJECT}`],
    ["a CloudTrail envelope without detail", { ...stopLogging, detail: undefined }, UNRECOGNISED_SUBJECT],
  ])("still alerts, with the labels, when the wrapped event is %s", async (_label, event, subject) => {
    const { handler, sent } = setup();

    await handler(wrap(event, "iam-persistence", "high"));

    expect(sent).toHaveLength(1);
    expect(sent[0]!.input.Subject).toBe(subject);
    expect(sent[0]!.input.MessageAttributes?.["preset"]?.StringValue).toBe("iam-persistence");
    expect(sent[0]!.input.MessageAttributes?.["severity"]?.StringValue).toBe("high");
  });

  it("handles the bare shape too (a replayed dead-letter message from before labels)", async () => {
    const { handler, sent } = setup();

    await handler(stopLogging);

    expect(sent[0]!.input.Subject).toBe(formatAlert(stopLogging).subject);
    expect(sent[0]!.input.MessageAttributes?.["preset"]).toBeUndefined();
  });
});
