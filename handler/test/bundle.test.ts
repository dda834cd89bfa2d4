/**
 * The built bundle (dist/index.mjs, what Lambda runs), not the source: loaded
 * in a fresh Node process with only the environment Lambda would give it,
 * publishing to a topic in moto_server on loopback with an SQS queue
 * subscribed, so we read back exactly what SNS delivered. Every reproducer of
 * issue #13 goes through it too, one after the other on one warm client.
 */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { motoAvailable, startMoto, type MotoServer } from "../../__tests__/support/moto.js";
import { createServer, type Server } from "node:net";
import { formatAlert } from "../src/core/index.js";
import { publishProblems } from "./support/invariants.js";
import { REPRODUCERS, type ReproducerName } from "./support/reproducers.js";
import { loadRecord, toEventBridgeEvent } from "./support/samples.js";

const HANDLER_DIR = fileURLToPath(new URL("..", import.meta.url));
const BUNDLE = join(HANDLER_DIR, "dist", "index.mjs");
const REGION = "us-east-1";

/** Imports the bundle, invokes `handler` with the event on stdin, reports the outcome on stdout/stderr. */
const RUNNER = `
const { handler } = await import(process.env.BUNDLE_URL);
let input = "";
for await (const chunk of process.stdin) input += chunk;
try {
  const result = await handler(JSON.parse(input));
  process.stdout.write("\\nRESULT " + JSON.stringify(result) + "\\n");
} catch (err) {
  process.stderr.write("\\nTHROWN " + JSON.stringify({ name: err?.name, message: err?.message }) + "\\n");
  process.exitCode = 1;
}
`;

/**
 * Like RUNNER, for a list of JSON texts on one warm module (one SNS client),
 * each parsed as Lambda parses its payload and given a Lambda-like context
 * with a 30 s deadline. One line per event: `RESULT <i> {...}` or `THROWN <i> {...}`.
 */
const BATCH_RUNNER = `
const { handler } = await import(process.env.BUNDLE_URL);
let input = "";
for await (const chunk of process.stdin) input += chunk;
for (const [i, text] of JSON.parse(input).entries()) {
  const started = Date.now();
  const context = { getRemainingTimeInMillis: () => 30000 - (Date.now() - started) };
  try {
    const result = await handler(JSON.parse(text), context);
    process.stdout.write("\\nRESULT " + i + " " + JSON.stringify(result) + "\\n");
  } catch (err) {
    process.stdout.write("\\nTHROWN " + i + " " + JSON.stringify({ name: err?.name, message: err?.message, ms: Date.now() - started }) + "\\n");
  }
}
`;

interface Invocation {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let moto: MotoServer;
let home: string;

/** Runs the bundle in a child with a Lambda-like environment: no profile, no ~/.aws, env credentials. */
function invokeBundle(event: unknown, env: Record<string, string>, runner = RUNNER): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", runner], {
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: home,
        BUNDLE_URL: pathToFileURL(BUNDLE).href,
        ...moto.env(REGION),
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(JSON.stringify(event));
  });
}

interface Delivered {
  Subject: string;
  Message: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
}

describe("built bundle against SNS and SQS in moto", () => {
  let topicArn: string;
  let queueUrl: string;
  let sqs: SQSClient;

  beforeAll(async () => {
    if (!motoAvailable()) throw new Error("moto_server is required for the bundle test (python3 -m pip install 'moto[server]==5.2.1')");
    if (!existsSync(BUNDLE)) {
      // `npm test` builds first; a bare `vitest run` on a fresh checkout builds here.
      const build = spawnSync(process.execPath, [join(HANDLER_DIR, "build.mjs")], { encoding: "utf8" });
      if (build.status !== 0) throw new Error(`handler build failed:\n${build.stderr}`);
    }
    home = mkdtempSync(join(tmpdir(), "notifier-home-"));
    moto = await startMoto();
    const clientConfig = { region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    const sns = new SNSClient(clientConfig);
    sqs = new SQSClient(clientConfig);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: "alerts" }))).TopicArn!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "alerts-inbox" }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] })))
      .Attributes!["QueueArn"]!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn }));
  });

  afterAll(async () => {
    await moto?.stop();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  async function receiveOne(): Promise<Delivered> {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
    expect(out.Messages ?? []).toHaveLength(1);
    const message = out.Messages![0]!;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
    return JSON.parse(message.Body!) as Delivered;
  }

  it("delivers a root console sign-in with the expected subject and attributes", async () => {
    const event = toEventBridgeEvent(loadRecord("events/signin/ConsoleLogin__5.json"));
    const expected = formatAlert(event);

    const run = await invokeBundle(event, { TOPIC_ARN: topicArn });

    expect(run.code, run.stderr).toBe(0);
    const delivered = await receiveOne();
    expect(delivered.Subject).toBe("[ROOT] ConsoleLogin by root in 111122223333 us-east-1");
    expect(delivered.Message).toBe(expected.message);
    expect(delivered.MessageAttributes).toMatchObject({
      event_name: { Type: "String", Value: "ConsoleLogin" },
      event_source: { Type: "String", Value: "signin.amazonaws.com" },
      account_id: { Type: "String", Value: "111122223333" },
      is_root: { Type: "String", Value: "true" },
      is_error: { Type: "String", Value: "false" },
    });
    // One structured info line on stdout, keyed by event id and name.
    const log = JSON.parse(run.stdout.split("\n").find((l) => l.startsWith('{"level":"info"'))!) as Record<string, unknown>;
    expect(log).toMatchObject({ service: "cloudtrail-alerting-notifier", eventId: "deb1e1f9-c99b-4612-8e9f-21f93b5d79c0", eventName: "ConsoleLogin" });
  });

  it("delivers an event larger than 256 KB in bytes, shortened", async () => {
    const record = loadRecord("events/iam/CreateUser__1.json");
    record["requestParameters"] = { userName: "bob", note: "\u20ac".repeat(150_000) }; // 450,000 bytes

    const run = await invokeBundle(toEventBridgeEvent(record), { TOPIC_ARN: topicArn });

    expect(run.code, run.stderr).toBe(0);
    const delivered = await receiveOne();
    expect(delivered.Subject).toBe("CreateUser by user/bert-jan in 123837392027 us-east-1");
    expect(delivered.Message).toContain("SHORTENED");
    expect(Buffer.byteLength(delivered.Message, "utf8")).toBeLessThanOrEqual(262_144);
  });

  it("delivers an unrecognised event instead of dropping it", async () => {
    const run = await invokeBundle({}, { TOPIC_ARN: topicArn });

    expect(run.code, run.stderr).toBe(0);
    const delivered = await receiveOne();
    expect(delivered.Subject).toBe("[UNVERIFIED] Unrecognised event received by cloudtrail-alerting-notifier");
    expect(delivered.MessageAttributes["alert_kind"]).toEqual({ Type: "String", Value: "unrecognised" });
    expect(run.stderr).toContain('"level":"error"');
  });

  it("throws when the topic does not exist", async () => {
    const event = toEventBridgeEvent(loadRecord("events/iam/CreateUser__1.json"));

    const run = await invokeBundle(event, { TOPIC_ARN: `arn:aws:sns:${REGION}:123456789012:does-not-exist` });

    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/THROWN \{"name":"NotFound/);
    expect(run.stderr).toContain("publishing the alert to SNS failed");
  });

  it("fails at load, naming TOPIC_ARN, when it is not set", async () => {
    const run = await invokeBundle({}, {}); // the child inherits nothing else

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("TOPIC_ARN is not set");
    expect(run.stdout).not.toContain("RESULT");
  });

  describe("every reproducer of issue #13, on one warm client", () => {
    const names = Object.keys(REPRODUCERS) as ReproducerName[];
    const outcomes = new Map<number, string>();
    const byMessageId = new Map<string, Delivered>();

    beforeAll(async () => {
      const run = await invokeBundle(names.map((n) => REPRODUCERS[n].json), { TOPIC_ARN: topicArn }, BATCH_RUNNER);
      for (const [, i, line] of run.stdout.matchAll(/^(?:RESULT|THROWN) (\d+) (.*)$/gm)) outcomes.set(Number(i), line ?? "");
      for (let polls = 0; byMessageId.size < names.length && polls < 20; polls += 1) {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const message of out.Messages ?? []) {
          const body = JSON.parse(message.Body!) as Delivered & { MessageId: string };
          byMessageId.set(body.MessageId, body);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
        }
      }
    });

    it.each(names.map((name, i) => [REPRODUCERS[name].title, i] as const))("%s: exactly one alert, with a body SNS accepts", (_title, i) => {
      const outcome = JSON.parse(outcomes.get(i) ?? "null") as { messageId?: string } | null;
      expect(outcome?.messageId, `invocation ${i}: ${outcomes.get(i)}`).toBeTruthy();
      const alert = byMessageId.get(outcome!.messageId!);
      expect(alert?.Message.length).toBeGreaterThan(0);
      const attributes = Object.fromEntries(Object.entries(alert!.MessageAttributes).map(([k, v]) => [k, v.Value]));
      expect(publishProblems({ subject: alert!.Subject, message: alert!.Message, attributes })).toEqual([]);
    });

    it("publishes nothing else", async () => {
      expect(byMessageId.size).toBe(names.length);
      const more = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      expect(more.Messages ?? []).toEqual([]);
    });
  });

  it("8. against an endpoint that accepts and never answers, gives up within the timeouts (about 6 s, not Lambda's 30 s) and logs before it throws", async () => {
    const silent: Server = createServer(() => undefined); // accepts, reads nothing, answers nothing
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const event = JSON.stringify(toEventBridgeEvent(loadRecord("events/iam/CreateUser__1.json")));
      const run = await invokeBundle([event], { TOPIC_ARN: topicArn, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` }, BATCH_RUNNER);

      const thrown = /^THROWN 0 (.*)$/m.exec(run.stdout)?.[1];
      expect(thrown, run.stdout + run.stderr).toBeDefined();
      const { name, ms } = JSON.parse(thrown!) as { name: string; ms: number };
      expect(name).toBe("TimeoutError");
      expect(ms).toBeLessThan(12_000);
      expect(run.stderr).toContain('"message":"publishing the alert to SNS failed after retries');
      expect(run.stderr).toContain('"eventName":"CreateUser"');
    } finally {
      silent.close();
    }
  });
});
