/**
 * The Lambda glue (createHandler) with a fake SNS sender and a captured
 * logger: what it publishes, what it logs, and that it never reports success
 * without a publish.
 */
import type { PublishCommand, PublishCommandOutput } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { requireEnv } from "../src/config.js";
import { createHandler, type SnsSender } from "../src/handler.js";
import { createLogger, type LogLevel } from "../src/logger.js";
import { loadRecord, toEventBridgeEvent } from "./support/samples.js";

const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:alerts";
const createAccessKey = loadRecord("events/iam/CreateAccessKey__1.json");

interface LogLine {
  level: LogLevel;
  entry: Record<string, unknown>;
  raw: string;
}

function setup(send: (command: PublishCommand) => Promise<PublishCommandOutput>) {
  const sent: PublishCommand[] = [];
  const logs: LogLine[] = [];
  const sns: SnsSender = {
    send: async (command) => {
      sent.push(command);
      return send(command);
    },
  };
  const logger = createLogger({
    service: "cloudtrail-alerting-notifier",
    write: (level, raw) => logs.push({ level, raw, entry: JSON.parse(raw) as Record<string, unknown> }),
    now: () => new Date("2024-01-01T00:00:00Z"),
  });
  return { handler: createHandler({ sns, topicArn: TOPIC_ARN, logger }), sent, logs };
}

const accepted = async (): Promise<PublishCommandOutput> => ({ MessageId: "msg-1", $metadata: {} });

describe("createHandler", () => {
  it("publishes one message to the topic with subject, message and String attributes", async () => {
    const { handler, sent } = setup(accepted);

    const result = await handler(toEventBridgeEvent(createAccessKey));

    expect(sent).toHaveLength(1);
    const input = sent[0]!.input;
    expect(input.TopicArn).toBe(TOPIC_ARN);
    expect(input.Subject).toBe("CreateAccessKey by user/bert-jan in 123837392027 us-east-1");
    expect(input.Message).toContain(`Event ID:     ${createAccessKey.eventID}`);
    expect(input.MessageAttributes?.["event_name"]).toEqual({ DataType: "String", StringValue: "CreateAccessKey" });
    expect(input.MessageAttributes?.["is_root"]).toEqual({ DataType: "String", StringValue: "false" });
    expect(result).toEqual({ messageId: "msg-1", eventId: createAccessKey.eventID });
  });

  it("logs one structured info line with service, event id and name, and no payload", async () => {
    const { handler, logs } = setup(accepted);

    await handler(toEventBridgeEvent(createAccessKey));

    expect(logs).toHaveLength(1);
    expect(logs[0]!.level).toBe("info");
    expect(logs[0]!.entry).toMatchObject({
      level: "info",
      service: "cloudtrail-alerting-notifier",
      message: "alert published",
      eventId: createAccessKey.eventID,
      eventName: "CreateAccessKey",
      eventSource: "iam.amazonaws.com",
      messageId: "msg-1",
      shortened: false,
    });
    // Nothing from the request or the caller's environment at info level.
    expect(logs[0]!.raw).not.toContain(String(createAccessKey["userAgent"]));
    expect(logs[0]!.raw).not.toContain(String(createAccessKey["sourceIPAddress"]));
  });

  it("publishes an unrecognised event and logs it as an error", async () => {
    const { handler, sent, logs } = setup(accepted);

    await handler({ hello: "world" });

    expect(sent).toHaveLength(1);
    expect(sent[0]!.input.Subject).toBe("[UNVERIFIED] Unrecognised event received by cloudtrail-alerting-notifier");
    expect(sent[0]!.input.Message).toContain('"hello": "world"');
    const error = logs.find((l) => l.level === "error");
    expect(error?.entry).toMatchObject({
      service: "cloudtrail-alerting-notifier",
      reason: expect.stringContaining("detail-type"),
      payloadExcerpt: '{"hello":"world"}',
    });
  });

  it("rethrows when SNS still fails after the SDK's retries, and logs why", async () => {
    const failure = Object.assign(new Error("Topic does not exist"), { name: "NotFoundException" });
    const { handler, logs } = setup(async () => {
      throw failure;
    });

    await expect(handler(toEventBridgeEvent(createAccessKey))).rejects.toBe(failure);

    const error = logs.find((l) => l.level === "error");
    expect(error?.entry).toMatchObject({
      eventId: createAccessKey.eventID,
      eventName: "CreateAccessKey",
      errorName: "NotFoundException",
      errorMessage: "Topic does not exist",
      topicArn: TOPIC_ARN,
    });
    expect(logs.some((l) => l.level === "info")).toBe(false);
  });
});

describe("requireEnv", () => {
  it("returns the value", () => {
    expect(requireEnv("TOPIC_ARN", { TOPIC_ARN: TOPIC_ARN })).toBe(TOPIC_ARN);
  });

  it.each([
    ["missing", {}],
    ["empty", { TOPIC_ARN: "" }],
    ["blank", { TOPIC_ARN: "   " }],
  ])("fails naming the variable when it is %s", (_case, env) => {
    expect(() => requireEnv("TOPIC_ARN", env)).toThrow(/^TOPIC_ARN is not set/);
  });
});
