/**
 * Alert destinations end to end on the moto emulator (issue 16), on the
 * pipeline's deployment (pipeline.e2e.test.ts registers these tests with
 * `describeDestinations`; a deployment of their own cost one more apply and
 * plan, about 30 CPU-seconds, for the same stack plus one variable): its
 * pipeline.tfvars.json has an SQS queue in `sns_subscriptions`. The code
 * Lambda holds runs on a root sign-in, a CreateAccessKey and an AccessDenied
 * event: each gives one email alert, one chat notification and one structured
 * alert, and the queue receives the structured alert itself (raw delivery).
 * The pipeline's plan after apply and destroy cover this configuration.
 *
 * moto (5.2.1) has no Amazon Q Developer in chat applications (Chatbot) API,
 * so a deployment with Slack or Teams channels cannot be applied here (the
 * channel configurations are plan-tested in ../destinations-plan.test.ts).
 * The chat publish is exercised with the deployed code and environment plus
 * CHAT_TOPIC_ARN of a topic this test creates in the emulator, named as the
 * stack names its chat topic: the one variable the stack would add.
 */
import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { GetRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
} from "@aws-sdk/client-sns";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AwsClients, createQueue, deleteQueue, drainQueue, type Queue } from "../support/aws";
import type { MotoServer } from "../support/moto";
import { PROJECT_ROOT, type Json } from "../support/synth";
import {
  ALERTING_REGION,
  deployedCode,
  detailTypeOf,
  runHandler,
  subscribeInbox,
  sourceOf,
  type DeployedCode,
  type Deployment,
  type HandlerOutcome,
} from "./harness";

const CORPUS = join(PROJECT_ROOT, "__tests__", "fixtures", "cloudtrail");
const schemaOf = (path: string): object => JSON.parse(readFileSync(join(PROJECT_ROOT, path), "utf8")) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
const validStructured = ajv.compile(schemaOf("handler/schemas/alert-v1.schema.json"));
const validChat = ajv.compile(schemaOf("handler/test/support/custom-notification.schema.json"));

/** The three examples of the issue, labelled as their rules label them. */
const EXAMPLES = [
  { file: "events/signin/ConsoleLogin__5.json", preset: "root-activity", severity: "critical" },
  { file: "events/iam/CreateAccessKey__1.json", preset: "iam-events", severity: "high" },
  { file: "events/organizations/LeaveOrganization__1.json", preset: "account-guardrails", severity: "high" },
].map((e, i) => {
  const record = JSON.parse(readFileSync(join(CORPUS, e.file), "utf8")) as Json;
  const event = {
    version: "0",
    id: `00000000-0000-4000-8000-00000000001${i}`,
    "detail-type": detailTypeOf(record),
    source: sourceOf(record),
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
  return { ...e, event, input: { preset: e.preset, severity: e.severity, event } };
});

/** The tfvars of the deployment these tests run on: an SQS queue in `sns_subscriptions` among them. */
export interface DestinationsVars {
  readonly application_name: string;
  readonly sns_subscriptions: readonly { readonly protocol: string; readonly endpoint: string }[];
}

/**
 * Creates the queue `sns_subscriptions` names, as its owner would have before
 * subscribing it: for the harness's `prepare`, before the apply. moto refuses
 * a publish to a topic with an SQS subscriber whose queue does not exist, so
 * every alert of the deployment would fail without it.
 */
export async function createSubscriberQueue(moto: MotoServer, vars: DestinationsVars): Promise<void> {
  const clients = new AwsClients(moto.endpoint, ALERTING_REGION);
  try {
    await createQueue(clients.sqs, queueNameOf(siemSubscriptionOf(vars)));
  } finally {
    clients.destroy();
  }
}

/** The `sns_subscriptions` entry the tests read: the SQS queue of a SIEM. */
function siemSubscriptionOf(vars: DestinationsVars): DestinationsVars["sns_subscriptions"][number] {
  const subscription = vars.sns_subscriptions.find((s) => s.protocol === "sqs");
  if (subscription === undefined) throw new Error("the deployment's tfvars have no sqs entry in sns_subscriptions");
  return subscription;
}

/** A queue's name, the last part of its ARN. */
const queueNameOf = (subscription: { readonly endpoint: string }): string => subscription.endpoint.split(":").pop()!;

/**
 * Registers the destinations tests, to run on `deployment()` once its apply is
 * done (inside the caller's describe, after its own tests that read alerts).
 */
export function describeDestinations(current: () => Deployment, vars: DestinationsVars): void {
  describe("alert destinations", () => destinations(current, vars));
}

function destinations(current: () => Deployment, vars: DestinationsVars): void {
  const siemSubscription = siemSubscriptionOf(vars);
  const SIEM_QUEUE = queueNameOf(siemSubscription);
  let deployment: Deployment;
  let code: DeployedCode;
  let siem: Queue;
  let chatInbox: Queue;
  let emailInbox: Queue;
  let chatTopicArn: string;
  let outcomes: HandlerOutcome[];
  let logs: string;
  const received = { siem: [] as Json[], chat: [] as Json[], email: [] as Json[] };
  const alerting = () => deployment.clients(ALERTING_REGION);
  const structuredTopicArn = (): string => (deployment.outputs as unknown as { structured_topic_arn: string }).structured_topic_arn;

  beforeAll(async () => {
    deployment = current();
    const c = alerting();
    code = await deployedCode(deployment);

    // The subscriber's queue, there since before the apply (createSubscriberQueue): the deployment's alerts
    // before these tests reached it too, and are dropped. CreateQueue of an existing name returns that queue.
    siem = await createQueue(c.sqs, SIEM_QUEUE);
    deployment.onTeardown(() => deleteQueue(c.sqs, siem));
    await drainQueue(c.sqs, siem);

    // Stand-in for the chat topic a Slack/Teams deployment would have (see the file comment), read through a raw queue.
    ({ TopicArn: chatTopicArn = "" } = await c.sns.send(new CreateTopicCommand({ Name: `${vars.application_name}-alerts-chat` })));
    deployment.onTeardown(() => c.sns.send(new DeleteTopicCommand({ TopicArn: chatTopicArn }))); // after its subscription's undo
    chatInbox = await subscribeInbox(deployment, chatTopicArn, "e2e-chat-inbox", true);
    emailInbox = await subscribeInbox(deployment, deployment.outputs.topic_arn, "e2e-email-inbox", true);

    const run = await runHandler({
      codeDir: code.codeDir,
      handler: code.configuration.Handler ?? "",
      environment: {
        ...(code.configuration.Environment?.Variables ?? {}),
        CHAT_TOPIC_ARN: chatTopicArn,
        ...deployment.moto.env(ALERTING_REGION),
        AWS_LAMBDA_FUNCTION_NAME: code.configuration.FunctionName ?? "",
      },
      events: EXAMPLES.map((e) => e.input),
    });
    outcomes = run.outcomes;
    logs = run.logs;
    received.siem = (await drainQueue(c.sqs, siem)).map((m) => JSON.parse(m.Body ?? "null") as Json);
    received.chat = (await drainQueue(c.sqs, chatInbox)).map((m) => JSON.parse(m.Body ?? "null") as Json);
    received.email = (await drainQueue(c.sqs, emailInbox)).map((m) => m.Body);
  }, 600_000);

  it("creates the structured-alert topic and its subscription only (no chat resources without channels)", () => {
    const addresses = deployment.resources.map((r) => r.address);
    expect(addresses).toContain("aws_sns_topic.structured_topic_topic[0]");
    expect(addresses).toContain(`aws_sns_topic_subscription.structured_subscriptions_endpoint["${siemSubscription.endpoint}"]`);
    expect(addresses.filter((a) => /chat/.test(a))).toEqual([]);
    expect(deployment.outputs).toMatchObject({ structured_topic_arn: expect.stringMatching(new RegExp(`:${vars.application_name}-alerts-structured$`)) });
  });

  it("subscribes the queue with raw message delivery", async () => {
    const { Subscriptions = [] } = await alerting().sns.send(
      new ListSubscriptionsByTopicCommand({
        TopicArn: structuredTopicArn(),
      }),
    );
    expect(Subscriptions.map((s) => [s.Protocol, s.Endpoint])).toEqual([["sqs", siemSubscription.endpoint]]);
    const { Attributes } = await alerting().sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: Subscriptions[0]!.SubscriptionArn }),
    );
    expect(Attributes?.["RawMessageDelivery"]).toBe("true");
  });

  it("gives the function the structured topic's ARN, and no chat topic", () => {
    const env = code.configuration.Environment?.Variables ?? {};
    expect(env).toEqual({
      TOPIC_ARN: deployment.outputs.topic_arn,
      STRUCTURED_TOPIC_ARN: structuredTopicArn(),
      HEARTBEAT_TOPIC_ARN: expect.stringMatching(new RegExp(`:${vars.application_name}-heartbeat$`)),
      ACCOUNT_NAMES: "{}",
    });
    expect(env).not.toHaveProperty("CHAT_TOPIC_ARN");
  });

  it("lets the function publish to the structured topic through a role policy of its own", async () => {
    const role = code.configuration.Role?.split("/").pop() ?? "";
    const statement = async (policy: string, sid: string): Promise<Json> => {
      const { PolicyDocument = "" } = await alerting().iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: policy }));
      return (JSON.parse(decodeURIComponent(PolicyDocument)) as Json).Statement.find((s: Json) => s.Sid === sid);
    };
    // The alert topic, and the heartbeat topic (src/liveness/), which no person reads.
    expect([(await statement("notifier", "PublishAlerts")).Resource].flat()).toContain(deployment.outputs.topic_arn);
    expect([(await statement("notifier-destinations", "PublishToDestinations")).Resource].flat()).toEqual([structuredTopicArn()]);
  });

  it("every invocation succeeds, publishing to the alert, chat and structured topics", () => {
    expect(
      outcomes.filter((o) => !o.ok),
      logs.slice(-3000),
    ).toEqual([]);
    for (const outcome of outcomes) {
      expect(outcome.ok && outcome.value.destinations).toEqual({ chat: expect.any(String), structured: expect.any(String) });
    }
    expect(received.email).toHaveLength(EXAMPLES.length);
    expect(received.chat).toHaveLength(EXAMPLES.length);
  });

  it("the sns_subscriptions queue receives the structured alert itself, with the original event", () => {
    expect(received.siem).toHaveLength(EXAMPLES.length);
    const byEventId = new Map(received.siem.map((body) => [body.event_id, body]));
    for (const example of EXAMPLES) {
      const body = byEventId.get(example.event.detail.eventID);
      expect(validStructured(body), JSON.stringify(validStructured.errors)).toBe(true);
      expect(body).toMatchObject({ schema: "cloudtrail-alerting/alert/v1", preset: example.preset, severity: example.severity });
      expect(body.event).toEqual(example.event);
    }
  });

  it("the chat topic receives valid custom notifications", () => {
    for (const body of received.chat) {
      expect(validChat(body), JSON.stringify(validChat.errors)).toBe(true);
    }
    expect(received.chat.map((n) => n.content.title).sort()).toEqual(
      [
        "[CRITICAL] [ROOT] ConsoleLogin by root in 111122223333 us-east-1",
        "[HIGH] CreateAccessKey by user/bert-jan in 123837392027 us-east-1",
        "[HIGH] LeaveOrganization by role/stratus-r...40126480 in 123837392027 us-east-1 FAILED AccessDenied",
      ].sort(),
    );
  });
}
