/**
 * The built bundle (dist/index.mjs, what Lambda runs), not the source: loaded
 * in a fresh Node process with only the environment Lambda would give it,
 * publishing to a topic in moto_server on loopback with an SQS queue
 * subscribed, so we read back exactly what SNS delivered.
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
import { formatAlert } from "../src/core/index.js";
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

interface Invocation {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let moto: MotoServer;
let home: string;

/** Runs the bundle in a child with a Lambda-like environment: no profile, no ~/.aws, env credentials. */
function invokeBundle(event: unknown, env: Record<string, string>): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", RUNNER], {
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
    expect(delivered.Subject).toBe("[ROOT] ConsoleLogin by root in 111122223333");
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
    expect(delivered.Subject).toBe("CreateUser by user/bert-jan in 123837392027");
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
});
