/**
 * The glue with the real SDK: SNSClient as createSnsClient builds it (query
 * serialiser, standard retries, NodeHttpHandler and its timeouts) against a
 * loopback stand-in for SNS, reading back what went over the wire.
 */
import { afterEach, describe, expect, it } from "vitest";
import { formatAlert } from "../src/core/index.js";
import { createHandler, type InvocationContext } from "../src/handler.js";
import { createLogger } from "../src/logger.js";
import { SNS_TIMEOUTS, worstCaseSendMs } from "../src/sns-client.js";
import { loadRecord, toEventBridgeEvent } from "./support/samples.js";
import { parse } from "./support/reproducers.js";
import { startSnsServer, type SnsServer } from "./support/sns-server.js";

const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:alerts";
const ordinary = toEventBridgeEvent(loadRecord("events/iam/CreateAccessKey__1.json"));
/** Small numbers so a hanging endpoint costs the test well under a second. */
const FAST = { connectionTimeoutMs: 200, requestTimeoutMs: 300, socketIdleTimeoutMs: 200, maxAttempts: 2 };

let server: SnsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function glue(sns: ReturnType<SnsServer["client"]>) {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ service: "cloudtrail-alerting-notifier", write: (_level, raw) => logs.push(JSON.parse(raw) as Record<string, unknown>) });
  return { handler: createHandler({ sns, topicArn: TOPIC_ARN, logger }), logs };
}

describe("publishing through the real SDK", () => {
  it("sends subject, message and String attributes exactly as formatted, once", async () => {
    server = await startSnsServer("answer");
    const { handler } = glue(server.client());

    const result = await handler(ordinary);

    const expected = formatAlert(ordinary);
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]!;
    expect(body.getAll("Message")).toEqual([expected.message]);
    expect(body.get("Subject")).toBe(expected.subject);
    expect(body.get("TopicArn")).toBe(TOPIC_ARN);
    expect(body.get("MessageAttributes.entry.1.Value.DataType")).toBe("String");
    expect(result).toEqual({ messageId: "message-1", eventId: "64b7de64-bf53-47ae-b7e3-d30cb1b5136e" });
  });

  it("3. a lone surrogate never reaches the SDK, and the next event on the same warm client is published intact", async () => {
    server = await startSnsServer("answer");
    const { handler } = glue(server.client());
    const hostile = parse("loneSurrogateUserAgent");

    await handler(hostile);
    await handler(ordinary);

    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first!.getAll("Message")).toEqual([formatAlert(hostile).message]);
    expect(first!.get("Message")).toContain("User agent:   \\ud800");
    expect(second!.getAll("Message")).toEqual([formatAlert(ordinary).message]);
    expect(second!.get("Subject")).toBe("CreateAccessKey by user/bert-jan in 123837392027 us-east-1");
  });

  it("8. an endpoint that accepts and never answers times out, is retried, and the error is logged, naming the event, before it is thrown", async () => {
    server = await startSnsServer("hang");
    const { handler, logs } = glue(server.client(FAST));

    const error = await handler(ordinary).then(
      () => undefined,
      (err: unknown) => err,
    );

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("TimeoutError");
    expect(server.requests).toHaveLength(FAST.maxAttempts);
    expect(logs.at(-1)).toMatchObject({
      level: "error",
      message: "publishing the alert to SNS failed after retries; rethrowing so Lambda retries the event",
      eventId: "64b7de64-bf53-47ae-b7e3-d30cb1b5136e",
      eventName: "CreateAccessKey",
      errorName: "TimeoutError",
    });
  });

  it("aborts a publish still in flight 2 s before the invocation's deadline, logging first", async () => {
    server = await startSnsServer("hang");
    const { handler, logs } = glue(server.client()); // production timeouts: only the deadline can end this quickly
    const started = Date.now();
    const invocation: InvocationContext = { getRemainingTimeInMillis: () => 2_300 - (Date.now() - started) };

    const error = await handler(ordinary, invocation).then(
      () => undefined,
      (err: unknown) => err,
    );

    expect((error as Error).name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(logs.at(-1)).toMatchObject({ level: "error", eventId: "64b7de64-bf53-47ae-b7e3-d30cb1b5136e" });
  });
});

describe("the SNS client's time budget", () => {
  it("connection, request and idle timeouts times attempts, plus the longest backoffs, fit in two thirds of the 30 s function timeout", () => {
    expect(worstCaseSendMs(SNS_TIMEOUTS)).toBe(18_000);
    expect(worstCaseSendMs(SNS_TIMEOUTS)).toBeLessThanOrEqual((30_000 * 2) / 3);
  });
});

describe("formatting failures", () => {
  it("an event the core cannot even read is still published, after an error log, as a fallback alert", async () => {
    server = await startSnsServer("answer");
    const { handler, logs } = glue(server.client());
    const poisoned = Object.defineProperty({ source: "aws.iam" }, "detail-type", {
      enumerable: true,
      get() {
        throw new Error("unreadable field");
      },
    });

    await handler(poisoned);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.get("Subject")).toBe("Unrecognised event received by cloudtrail-alerting-notifier");
    expect(server.requests[0]!.get("Message")).toContain("could not format this event");
    expect(logs[0]).toMatchObject({ level: "error", errorMessage: "unreadable field" });
  });
});
