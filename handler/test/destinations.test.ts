/**
 * The glue for the chat and structured-alert topics, with a recording SNS
 * sender: what each topic receives, that nothing extra is published when
 * they are not configured, and that a failed publish is logged and thrown
 * (Lambda retries, then the dead-letter queue keeps the event), never
 * swallowed.
 */
import type { PublishCommand, PublishCommandOutput } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { optionalTopicArn } from "../src/config.js";
import { createDestinations } from "../src/destinations.js";
import { createHandler, type SnsSender } from "../src/handler.js";
import { createLogger } from "../src/logger.js";
import { loadRecord, toEventBridgeEvent } from "./support/samples.js";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts";
const CHAT = "arn:aws:sns:us-east-1:123456789012:alerts-chat";
const STRUCTURED = "arn:aws:sns:us-east-1:123456789012:alerts-structured";
const record = loadRecord("events/iam/CreateAccessKey__1.json");
const EVENT_ID = record.eventID;
const input = { preset: "iam-events", severity: "high", event: toEventBridgeEvent(record) };

function setup(options: { chat?: string; structured?: string; failOn?: string } = {}) {
  const sent: PublishCommand[] = [];
  const logs: { level: string; entry: Record<string, unknown> }[] = [];
  const sns: SnsSender = {
    send: async (command: PublishCommand): Promise<PublishCommandOutput> => {
      sent.push(command);
      if (command.input.TopicArn === options.failOn) throw Object.assign(new Error("KMS key disabled"), { name: "KMSDisabledException" });
      return { MessageId: `id-${sent.length}`, $metadata: {} };
    },
  };
  const logger = createLogger({
    service: "test",
    write: (level, raw) => logs.push({ level, entry: JSON.parse(raw) as Record<string, unknown> }),
  });
  const destinations = createDestinations({ sns, logger, chatTopicArn: options.chat, structuredTopicArn: options.structured });
  return { handler: createHandler({ sns, topicArn: TOPIC, logger, destinations }), sent, logs };
}

const bodyOn = (sent: PublishCommand[], topic: string): Record<string, any> =>
  JSON.parse(sent.find((c) => c.input.TopicArn === topic)?.input.Message ?? "null") as Record<string, any>;

describe("destinations", () => {
  it("publishes the email alert first, then the chat notification and the structured alert", async () => {
    const { handler, sent } = setup({ chat: CHAT, structured: STRUCTURED });

    const result = await handler(input);

    expect(sent.map((c) => c.input.TopicArn)).toEqual([TOPIC, CHAT, STRUCTURED]);
    expect(bodyOn(sent, CHAT)).toMatchObject({ version: "1.0", source: "custom", content: { textType: "client-markdown" } });
    expect(bodyOn(sent, STRUCTURED)).toMatchObject({ schema: "cloudtrail-alerting/alert/v1", severity: "high", preset: "iam-events" });
    expect(result.destinations).toEqual({ chat: "id-2", structured: "id-3" });
  });

  it("publishes the chat and structured bodies without subject or attributes", async () => {
    const { handler, sent } = setup({ chat: CHAT, structured: STRUCTURED });

    await handler(input);

    for (const command of sent.slice(1)) {
      expect(command.input.Subject).toBeUndefined();
      expect(command.input.MessageAttributes).toBeUndefined();
    }
  });

  it("publishes to one topic only when nothing else is configured", async () => {
    const { handler, sent } = setup();

    const result = await handler(input);

    expect(sent).toHaveLength(1);
    expect(result).toEqual({ messageId: "id-1", eventId: EVENT_ID });
  });

  it("publishes only to the configured destination", async () => {
    const { handler, sent } = setup({ structured: STRUCTURED });

    await handler(input);

    expect(sent.map((c) => c.input.TopicArn)).toEqual([TOPIC, STRUCTURED]);
  });

  it("logs each destination's publish with the event's keys", async () => {
    const { handler, logs } = setup({ chat: CHAT, structured: STRUCTURED });

    await handler(input);

    const published = logs.filter((l) => l.level === "info").map((l) => l.entry);
    expect(published.map((e) => e["message"])).toEqual(["alert published", "chat alert published", "structured alert published"]);
    for (const entry of published.slice(1)) expect(entry).toMatchObject({ eventId: EVENT_ID, eventName: "CreateAccessKey" });
  });

  it("throws after a structured error log when the chat publish fails, still trying the structured topic", async () => {
    const { handler, sent, logs } = setup({ chat: CHAT, structured: STRUCTURED, failOn: CHAT });

    await expect(handler(input)).rejects.toThrow("KMS key disabled");

    expect(sent.map((c) => c.input.TopicArn)).toEqual([TOPIC, CHAT, STRUCTURED]);
    const error = logs.find((l) => l.level === "error")?.entry;
    expect(error).toMatchObject({
      destination: "chat",
      topicArn: CHAT,
      errorName: "KMSDisabledException",
      eventId: EVENT_ID,
      message: "publishing the chat alert to SNS failed after retries; rethrowing so Lambda retries the event",
    });
  });

  it("throws when the structured publish fails", async () => {
    const { handler } = setup({ chat: CHAT, structured: STRUCTURED, failOn: STRUCTURED });

    await expect(handler(input)).rejects.toThrow("KMS key disabled");
  });

  it("does not reach the other topics when the email publish fails", async () => {
    const { handler, sent } = setup({ chat: CHAT, structured: STRUCTURED, failOn: TOPIC });

    await expect(handler(input)).rejects.toThrow();

    expect(sent.map((c) => c.input.TopicArn)).toEqual([TOPIC]);
  });
});

describe("optionalTopicArn", () => {
  it.each([
    ["unset", {}],
    ["empty", { CHAT_TOPIC_ARN: "" }],
    ["blank", { CHAT_TOPIC_ARN: "  " }],
  ])("is undefined when %s", (_case, env) => {
    expect(optionalTopicArn("CHAT_TOPIC_ARN", env)).toBeUndefined();
  });

  it("returns a topic ARN", () => {
    expect(optionalTopicArn("CHAT_TOPIC_ARN", { CHAT_TOPIC_ARN: CHAT })).toBe(CHAT);
  });

  it("fails naming the variable when the value is not a topic ARN", () => {
    expect(() => optionalTopicArn("CHAT_TOPIC_ARN", { CHAT_TOPIC_ARN: "arn:aws:sqs:us-east-1:123456789012:q" })).toThrow(
      /^CHAT_TOPIC_ARN is not an SNS topic ARN/,
    );
  });
});
