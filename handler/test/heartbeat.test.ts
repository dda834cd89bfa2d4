/**
 * The heartbeat path of the glue (issue 12): a delivery labelled `heartbeat`
 * is published to the heartbeat topic (never the alert topic) with the
 * `heartbeat` attribute, and counted in one embedded-metric-format line only
 * after SNS accepted it.
 */
import type { PublishCommand, PublishCommandOutput } from "@aws-sdk/client-sns";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HEARTBEAT, heartbeatMetricLine, isHeartbeat } from "../src/core/heartbeat.js";
import { createHandler, type SnsSender } from "../src/handler.js";
import { heartbeatConfigFrom, type HeartbeatConfig } from "../src/heartbeat.js";
import { createLogger } from "../src/logger.js";
import { loadRecord, toEventBridgeEvent, type CloudTrailRecord } from "./support/samples.js";

const ALERT_TOPIC = "arn:aws:sns:us-east-1:123456789012:cloudtrail-alerting-alerts";
const HEARTBEAT_TOPIC = "arn:aws:sns:us-east-1:123456789012:cloudtrail-alerting-heartbeat";
const FUNCTION_NAME = "cloudtrail-alerting-notifier";
const PUBLISHED_AT = new Date("2025-01-15T10:03:30Z");

/** The synthetic TagRole record (see __tests__/fixtures/synthetic/README.md), as the heartbeat rule's input transformer delivers it. */
const tagRole = JSON.parse(
  readFileSync(new URL("../../__tests__/fixtures/synthetic/iam-TagRole-heartbeat.json", import.meta.url), "utf8"),
) as CloudTrailRecord;
const heartbeatDelivery = { preset: "heartbeat", event: toEventBridgeEvent(tagRole) };
const alertDelivery = { preset: "iam-events", severity: "high", event: toEventBridgeEvent(loadRecord("events/iam/CreateAccessKey__1.json")) };

interface Recorded {
  readonly step: string;
  readonly detail?: unknown;
}

/** The handler with a fake SNS; every publish and metric line is recorded in the order it happened. */
function setup(options: { readonly publish?: () => Promise<PublishCommandOutput>; readonly heartbeat?: Partial<HeartbeatConfig> } = {}) {
  const steps: Recorded[] = [];
  const sns: SnsSender = {
    send: async (command: PublishCommand) => {
      steps.push({ step: "publish", detail: command.input });
      return (options.publish ?? (async () => ({ MessageId: "msg-1", $metadata: {} })))();
    },
  };
  const heartbeat: HeartbeatConfig = {
    topicArn: HEARTBEAT_TOPIC,
    functionName: FUNCTION_NAME,
    writeMetric: (line) => steps.push({ step: "metric", detail: JSON.parse(line) }),
    now: () => PUBLISHED_AT,
    ...options.heartbeat,
  };
  const logger = createLogger({ service: "test", write: () => undefined });
  return { handler: createHandler({ sns, topicArn: ALERT_TOPIC, logger, heartbeat }), steps };
}
const publishes = (steps: Recorded[]) => steps.filter((s) => s.step === "publish").map((s) => s.detail as PublishCommand["input"]);
const metrics = (steps: Recorded[]) => steps.filter((s) => s.step === "metric").map((s) => s.detail as Record<string, any>);

describe("recognising the heartbeat", () => {
  it("is the delivery the heartbeat rule labels with preset 'heartbeat', and nothing else", () => {
    expect(isHeartbeat({ preset: "heartbeat" })).toBe(true);
    expect(isHeartbeat({ preset: "iam-events", severity: "high" })).toBe(false);
    expect(isHeartbeat({})).toBe(false);
  });
});

describe("a heartbeat delivery", () => {
  it("is published once, to the heartbeat topic, never to the alert topic", async () => {
    const { handler, steps } = setup();

    await handler(heartbeatDelivery);

    expect(publishes(steps).map((p) => p.TopicArn)).toEqual([HEARTBEAT_TOPIC]);
  });

  it("carries the heartbeat attribute besides the alert's own attributes", async () => {
    const { handler, steps } = setup();

    await handler(heartbeatDelivery);

    const attributes = publishes(steps)[0]!.MessageAttributes ?? {};
    expect(attributes["heartbeat"]).toEqual({ DataType: "String", StringValue: "true" });
    expect(attributes["event_name"]).toEqual({ DataType: "String", StringValue: "TagRole" });
    expect(attributes["preset"]).toEqual({ DataType: "String", StringValue: "heartbeat" });
  });

  it("emits exactly one metric line, after the publish", async () => {
    const { handler, steps } = setup();

    await handler(heartbeatDelivery);

    expect(steps.map((s) => s.step)).toEqual(["publish", "metric"]);
  });

  it("emits no metric line when the publish fails, and rethrows so Lambda retries", async () => {
    const { handler, steps } = setup({
      publish: async () => {
        throw Object.assign(new Error("KMS key disabled"), { name: "KMSDisabledException" });
      },
    });

    await expect(handler(heartbeatDelivery)).rejects.toThrow("KMS key disabled");

    expect(steps.map((s) => s.step)).toEqual(["publish"]);
  });

  it("is refused before any publish when the function has no heartbeat topic (it never falls back to the alert topic)", async () => {
    const { handler, steps } = setup({ heartbeat: { topicArn: undefined } as unknown as Partial<HeartbeatConfig> });

    await expect(handler(heartbeatDelivery)).rejects.toThrow("HEARTBEAT_TOPIC_ARN");

    expect(steps).toEqual([]);
  });
});

describe("the metric line", () => {
  it("is CloudWatch embedded metric format: Heartbeats = 1 (Count) in CloudTrailAlerting, dimension FunctionName", async () => {
    const { handler, steps } = setup();

    await handler(heartbeatDelivery);

    const [line] = metrics(steps);
    expect(line).toEqual({
      _aws: {
        Timestamp: PUBLISHED_AT.getTime(),
        CloudWatchMetrics: [{ Namespace: "CloudTrailAlerting", Dimensions: [["FunctionName"]], Metrics: [{ Name: "Heartbeats", Unit: "Count" }] }],
      },
      FunctionName: FUNCTION_NAME,
      Heartbeats: 1,
      heartbeatDelaySeconds: 210,
      messageId: "msg-1",
    });
  });

  it("uses the names of heartbeat-metric.json, which the infrastructure's alarm reads too", () => {
    const line = JSON.parse(heartbeatMetricLine({ functionName: "f", publishedAt: PUBLISHED_AT }));
    const directive = line._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe(HEARTBEAT.namespace);
    expect(directive.Metrics[0].Name).toBe(HEARTBEAT.metricName);
    expect(directive.Dimensions).toEqual([[HEARTBEAT.dimensionName]]);
    expect(line[HEARTBEAT.dimensionName]).toBe("f");
    expect(line).not.toHaveProperty("heartbeatDelaySeconds");
  });
});

describe("an alert delivery", () => {
  it("goes to the alert topic as before: no heartbeat attribute, no metric line", async () => {
    const { handler, steps } = setup();

    await handler(alertDelivery);

    expect(publishes(steps).map((p) => p.TopicArn)).toEqual([ALERT_TOPIC]);
    expect(publishes(steps)[0]!.MessageAttributes).not.toHaveProperty("heartbeat");
    expect(metrics(steps)).toEqual([]);
  });

  it("does not need the heartbeat settings", async () => {
    const { handler, steps } = setup({ heartbeat: { topicArn: undefined, functionName: undefined } as unknown as Partial<HeartbeatConfig> });

    await handler(alertDelivery);

    expect(publishes(steps)).toHaveLength(1);
  });
});

describe("heartbeat settings from the environment", () => {
  it("reads HEARTBEAT_TOPIC_ARN and Lambda's AWS_LAMBDA_FUNCTION_NAME; blank values count as unset", () => {
    expect(heartbeatConfigFrom({ HEARTBEAT_TOPIC_ARN: HEARTBEAT_TOPIC, AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME })).toEqual({
      topicArn: HEARTBEAT_TOPIC,
      functionName: FUNCTION_NAME,
    });
    expect(heartbeatConfigFrom({ HEARTBEAT_TOPIC_ARN: " " })).toEqual({});
  });
});
