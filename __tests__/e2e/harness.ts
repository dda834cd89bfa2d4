/**
 * Reusable steps of the end-to-end run on the moto emulator: deploy the
 * synthesized stack with the real Terraform CLI, wrap CloudTrail sample
 * records as EventBridge delivers them, watch what a rule matches through an
 * SQS queue, and run the Lambda code Terraform uploaded.
 *
 * Emulator endpoint and dummy credentials reach Terraform and the SDK through
 * their environment/configuration only; the production synth never sees them.
 */
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { GetFunctionCommand, type FunctionConfiguration } from "@aws-sdk/client-lambda";
import { SubscribeCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { AwsClients, createQueue, deleteQueue, emptyBucket, type Queue } from "../support/aws";
import { startMoto, type MotoServer } from "../support/moto";
import { missingTools as missingOnPath } from "../support/tools";
import { PROJECT_ROOT, synthApp, type Json } from "../support/synth";
import { resourcesOfState } from "../../scripts/lib/state";
import { localStatePath, Terraform, type TerraformResult } from "../support/terraform";

/** The CloudTrail corpus the repository carries (`__tests__/fixtures/cloudtrail`, sources in its SOURCES.md). */
export const SAMPLES_DIR = resolve(PROJECT_ROOT, "__tests__", "fixtures", "cloudtrail");

/** Where IAM and root events reach EventBridge, and where the stack puts its rules (`aws.alerting`). */
export const ALERTING_REGION = "us-east-1";

/**
 * detail-types CloudTrail uses on the default bus. Written out here rather
 * than imported from src/, so a typo in the product's patterns fails the run.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * (that page spells "Signin"; delivered events and the examples in
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
 * carry "AWS Console Sign In via CloudTrail").
 */
export const DETAIL_TYPES = {
  apiCall: "AWS API Call via CloudTrail",
  consoleSignIn: "AWS Console Sign In via CloudTrail",
  consoleAction: "AWS Console Action via CloudTrail",
  serviceEvent: "AWS Service Event via CloudTrail",
} as const;

// ---------------------------------------------------------------- tools

/** Names of the command-line tools this suite needs that are not on PATH (see support/tools.ts). */
export function missingTools(tools: readonly string[] = ["terraform", "moto_server"]): string[] {
  return missingOnPath(tools);
}

// ---------------------------------------------------------------- samples

export interface IndexEntry {
  readonly file: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly userIdentityType: string | null;
  readonly errorCode: string | null;
  readonly awsRegion: string | null;
  readonly tags?: string[];
}

export interface Sample {
  /** Path inside the corpus, e.g. `events/iam/CreateUser__1.json`: the sample's identity (event ids repeat). */
  readonly file: string;
  readonly index: IndexEntry;
  /** The CloudTrail record, unedited. */
  readonly record: Json;
}

/** Every single-record sample listed in INDEX.json, in index order. */
export function loadSamples(dir: string = SAMPLES_DIR): Sample[] {
  const index = JSON.parse(readFileSync(join(dir, "INDEX.json"), "utf8")) as IndexEntry[];
  return index.map((entry) => ({
    file: entry.file,
    index: entry,
    record: JSON.parse(readFileSync(join(dir, entry.file), "utf8")) as Json,
  }));
}

/**
 * The detail-type EventBridge gives a CloudTrail record, from its `eventType`
 * (compared case-insensitively: one AWS sample spells "AwsConsoleSignin").
 * Documentation examples that omit `eventType` are classified by source:
 * sign-in.amazonaws.com only records console sign-in events.
 */
export function detailTypeOf(record: Json): string {
  const eventType = typeof record.eventType === "string" ? record.eventType.toLowerCase() : undefined;
  switch (eventType) {
    case "awsconsolesignin":
      return DETAIL_TYPES.consoleSignIn;
    case "awsconsoleaction":
      return DETAIL_TYPES.consoleAction;
    case "awsserviceevent":
      return DETAIL_TYPES.serviceEvent;
    case "awsapicall":
      return DETAIL_TYPES.apiCall;
    default:
      return record.eventSource === "signin.amazonaws.com" ? DETAIL_TYPES.consoleSignIn : DETAIL_TYPES.apiCall;
  }
}

/** `aws.<service>` from `<service>.amazonaws.com`, as CloudTrail sets `source` on EventBridge. */
export function sourceOf(record: Json): string {
  return `aws.${String(record.eventSource).replace(/\.amazonaws\.com$/, "")}`;
}

/**
 * A CloudTrail record as a PutEvents entry that the emulator turns into the
 * event EventBridge delivers: `{version, id, detail-type, source, account,
 * time, region, resources: [], detail: record}`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
 *
 * Real EventBridge refuses PutEvents with an `aws.*` source from customers;
 * moto accepts it, which is what lets the deployed rules see events shaped
 * exactly like CloudTrail's. `id`, `account` and `region` of the envelope are
 * the emulator's; the record keeps its own.
 */
export function wrapRecord(record: Json, eventBusName?: string): PutEventsRequestEntry {
  const time = typeof record.eventTime === "string" ? new Date(record.eventTime) : undefined;
  return {
    Source: sourceOf(record),
    DetailType: detailTypeOf(record),
    Detail: JSON.stringify(record),
    Resources: [],
    ...(time !== undefined && !Number.isNaN(time.getTime()) ? { Time: time } : {}),
    ...(eventBusName !== undefined ? { EventBusName: eventBusName } : {}),
  };
}

/** PutEvents in batches of 10 (the API limit); returns the event id of each entry, in order. */
export async function sendEvents(clients: AwsClients, entries: PutEventsRequestEntry[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < entries.length; i += 10) {
    const batch = entries.slice(i, i + 10);
    const out = await clients.events.send(new PutEventsCommand({ Entries: batch }));
    const results = out.Entries ?? [];
    if ((out.FailedEntryCount ?? 0) > 0 || results.length !== batch.length) {
      throw new Error(`PutEvents rejected entries ${i}..${i + batch.length - 1}: ${JSON.stringify(results)}`);
    }
    for (const result of results) {
      if (result.EventId === undefined) throw new Error(`PutEvents returned no EventId: ${JSON.stringify(result)}`);
      ids.push(result.EventId);
    }
  }
  return ids;
}

// ---------------------------------------------------------------- deploy

export interface Outputs {
  readonly topic_arn: string;
  readonly trail_arn: string;
  readonly log_bucket_name: string;
  readonly notifier_function_name: string;
  readonly event_rule_names: string[];
  readonly alerting_region: string;
}

export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Json;
}

export interface DeployOptions {
  /** A `-var-file` for plan, apply and destroy. */
  readonly varFile: string;
  /** Region of the default provider (trail and bucket), given as AWS_REGION. @default "eu-west-1" */
  readonly homeRegion?: string;
  /** Runs against the emulator before `terraform apply` (e.g. to create the organization the plan reads). */
  readonly prepare?: (moto: MotoServer) => Promise<void>;
}

export interface Deployment {
  readonly moto: MotoServer;
  readonly terraform: Terraform;
  readonly stackDir: string;
  readonly varFile: string;
  readonly homeRegion: string;
  readonly outputs: Outputs;
  /** Managed resources in the state after apply (one per `for_each` instance). */
  readonly resources: StateResource[];
  /** Seconds per step: synth, init, apply, and later plan, destroy. */
  readonly timings: Record<string, number>;
  clients(region: string): AwsClients;
  /** Registers an undo for something the harness added (a probe target, a subscription); run before destroy. */
  onTeardown(undo: () => Promise<unknown>): void;
  /** `terraform plan -detailed-exitcode`: code 0 means no changes. */
  plan(): Promise<TerraformResult>;
  /**
   * Runs the registered undos, empties the stack's buckets, then
   * `terraform destroy`. Idempotent. `stdout` holds both destroy runs when
   * server access logging had to be removed first.
   */
  destroy(): Promise<TerraformResult>;
  /** Stops the emulator and removes temporary files (also after a failure). */
  close(): Promise<void>;
}

const seconds = (since: number): number => Math.round((Date.now() - since) / 100) / 10;

async function timed<T>(timings: Record<string, number>, step: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[step] = seconds(started);
  }
}

/**
 * A synthesized, initialised stack directory of its own: under vitest a copy
 * of the run's one synth (global setup); from `npm run e2e`, a new synth.
 */
async function freshStack(): Promise<{ stackDir: string }> {
  if (process.env.VITEST !== undefined) {
    const { copyOfStack } = await import("../support/shared");
    return copyOfStack();
  }
  const synth = synthApp();
  await new Terraform(synth.stackDir).init();
  return { stackDir: synth.stackDir };
}

/**
 * Synthesizes the real entry point, starts moto, and runs `terraform init`
 * and `terraform apply` against it. On failure everything started is stopped.
 */
export async function deploy(options: DeployOptions): Promise<Deployment> {
  const homeRegion = options.homeRegion ?? "eu-west-1";
  const timings: Record<string, number> = {};
  // The run's one synthesized stack (global setup), copied: this deployment gets its own state.
  // init needs no AWS API, so it runs while the emulator starts.
  const [moto, copy] = await Promise.all([startMoto(), timed(timings, "init", freshStack)]);
  const synth = { stackDir: copy.stackDir };
  const workDir = dirname(dirname(dirname(copy.stackDir)));
  const clientsByRegion = new Map<string, AwsClients>();
  const clients = (region: string): AwsClients => {
    let c = clientsByRegion.get(region);
    if (c === undefined) {
      c = new AwsClients(moto.endpoint, region);
      clientsByRegion.set(region, c);
    }
    return c;
  };
  const close = async (): Promise<void> => {
    for (const c of clientsByRegion.values()) c.destroy();
    await moto.stop();
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const terraform = new Terraform(synth.stackDir, moto.env(homeRegion));
    await options.prepare?.(moto);
    const vars = [`-var-file=${options.varFile}`];
    await timed(timings, "apply", () => terraform.ok(["apply", "-auto-approve", "-input=false", "-no-color", ...vars]));
    const outputJson = await terraform.ok(["output", "-json", "-no-color"]);
    const outputs = Object.fromEntries(
      Object.entries(JSON.parse(outputJson) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]),
    ) as unknown as Outputs;
    const resources: StateResource[] = resourcesOfState(readFileSync(localStatePath(synth.stackDir), "utf8"));

    const undos: (() => Promise<unknown>)[] = [];
    let destroyed: Promise<TerraformResult> | undefined;
    return {
      moto,
      terraform,
      stackDir: synth.stackDir,
      varFile: options.varFile,
      homeRegion,
      outputs,
      resources,
      timings,
      clients,
      onTeardown: (undo) => undos.push(undo),
      plan: () =>
        timed(timings, "plan", () =>
          terraform.run(["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false", ...vars]),
        ),
      destroy: () =>
        (destroyed ??= (async () => {
          // Undo in reverse order; a failed undo must not keep terraform from destroying.
          for (const undo of undos.reverse()) await undo().catch(() => undefined);
          return timed(timings, "destroy", () => destroyStack(terraform, vars, resources, clients(homeRegion)));
        })()),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * `terraform destroy`, after emptying the buckets. The stack keeps
 * `force_destroy = false` on purpose (emptying audit logs must be a deliberate
 * act), so this does what an operator would: stop server access logging first
 * (each request to a logged bucket writes a new log object into the target
 * bucket, and the emulator delivers those at once), delete every object
 * version, then destroy the rest.
 */
async function destroyStack(
  terraform: Terraform,
  vars: string[],
  resources: StateResource[],
  clients: AwsClients,
): Promise<TerraformResult> {
  // -refresh=false: the state is this run's own apply (and its plan after apply read every resource back), so
  // refreshing it again would only repeat those reads; a refresh is about half of a destroy's CPU here. An
  // operator's destroy refreshes: `npm run destroy` is run as users run it in __tests__/scripts/.
  const args = ["destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false", ...vars];
  const logging = resources.filter((r) => r.type === "aws_s3_bucket_logging").map((r) => `-target=${r.address}`);
  let first: TerraformResult | undefined;
  if (logging.length > 0) {
    first = await terraform.run([...args, ...logging]);
    if (first.code !== 0) return first;
  }
  for (const bucket of resources.filter((r) => r.type === "aws_s3_bucket")) {
    await emptyBucket(clients.s3, String(bucket.values.bucket));
  }
  const rest = await terraform.run(args);
  return first === undefined ? rest : { ...rest, stdout: `${first.stdout}\n${rest.stdout}`, stderr: `${first.stderr}\n${rest.stderr}` };
}

// ---------------------------------------------------------------- probes

export interface Probe {
  readonly queue: Queue;
  readonly ruleName: string;
  readonly eventBusName: string;
}

const PROBE_TARGET_ID = "e2e-probe-queue";

/**
 * Adds an SQS queue as an extra target of an existing rule, so everything the
 * rule delivers can be read back. The queue gets the same input as the rule's
 * existing target (its InputTransformer, Input or InputPath are copied), so
 * each message is exactly what the function receives. The rule itself is not
 * changed; the target and queue are removed on teardown (EventBridge refuses
 * to delete a rule that still has targets).
 */
export async function attachProbeQueue(deployment: Deployment, ruleName: string, region = ALERTING_REGION): Promise<Probe> {
  const c = deployment.clients(region);
  const { Targets = [] } = await c.events.send(new ListTargetsByRuleCommand({ Rule: ruleName }));
  if (Targets.length !== 1) {
    throw new Error(`rule ${ruleName} has ${Targets.length} targets; expected one whose input the probe can copy`);
  }
  const { Input, InputPath, InputTransformer } = Targets[0]!;
  const queue = await createQueue(c.sqs, `e2e-probe-${ruleName}`);
  await c.events.send(
    new PutTargetsCommand({
      Rule: ruleName,
      Targets: [{ Id: PROBE_TARGET_ID, Arn: queue.arn, Input, InputPath, InputTransformer }],
    }),
  );
  deployment.onTeardown(async () => {
    await c.events.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: [PROBE_TARGET_ID] }));
    await deleteQueue(c.sqs, queue);
  });
  return { queue, ruleName, eventBusName: "default" };
}

/**
 * A new SQS queue subscribed to a topic in us-east-1, as an email recipient
 * is (no filter policy); subscription and queue are removed on teardown.
 * `raw` delivers the message alone (RawMessageDelivery); otherwise each
 * message is SNS's envelope, with Subject and MessageAttributes as an email
 * shows them.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html
 */
export async function subscribeInbox(deployment: Deployment, topicArn: string, name: string, raw = false): Promise<Queue> {
  const c = deployment.clients(ALERTING_REGION);
  const queue = await createQueue(c.sqs, name);
  const { SubscriptionArn } = await c.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queue.arn, Attributes: { RawMessageDelivery: String(raw) } }),
  );
  deployment.onTeardown(async () => {
    await c.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await deleteQueue(c.sqs, queue);
  });
  return queue;
}

/**
 * A probe rule with the given pattern on its own event bus, whose only target
 * is an SQS queue. The fallback for an emulator that cannot deliver events
 * matching a rule with a Lambda target: read the deployed rule's pattern back
 * (DescribeRule) and put it here, so the pattern under test is still the
 * deployed one, matched by the emulator. A separate bus keeps the deployed
 * rules (and their Lambda targets) out of the probe's PutEvents.
 */
export async function probeRule(
  clients: AwsClients,
  options: { readonly name: string; readonly eventPattern: string; readonly eventBusName?: string },
): Promise<Probe & { remove(): Promise<void> }> {
  const eventBusName = options.eventBusName ?? "e2e-probe-bus";
  await clients.events.send(new CreateEventBusCommand({ Name: eventBusName })).catch((err: unknown) => {
    if (!(err instanceof Error && err.name === "ResourceAlreadyExistsException")) throw err;
  });
  await clients.events.send(new PutRuleCommand({ Name: options.name, EventBusName: eventBusName, EventPattern: options.eventPattern }));
  const queue = await createQueue(clients.sqs, `e2e-probe-${eventBusName}-${options.name}`);
  await clients.events.send(
    new PutTargetsCommand({ Rule: options.name, EventBusName: eventBusName, Targets: [{ Id: PROBE_TARGET_ID, Arn: queue.arn }] }),
  );
  return {
    queue,
    ruleName: options.name,
    eventBusName,
    remove: async () => {
      await clients.events.send(new RemoveTargetsCommand({ Rule: options.name, EventBusName: eventBusName, Ids: [PROBE_TARGET_ID] }));
      await clients.events.send(new DeleteRuleCommand({ Name: options.name, EventBusName: eventBusName }));
      await clients.events.send(new DeleteEventBusCommand({ Name: eventBusName })).catch(() => undefined);
      await deleteQueue(clients.sqs, queue);
    },
  };
}

// ---------------------------------------------------------------- function code

export interface DeployedCode {
  readonly configuration: FunctionConfiguration;
  /** The zip Terraform uploaded (the asset its `filename` points at), checked against Lambda's CodeSha256. */
  readonly zipPath: string;
  /** Where the zip was extracted. */
  readonly codeDir: string;
}

/**
 * The notifier's code as deployed. moto 5.2.1 keeps the uploaded bytes but its
 * GetFunction `Code.Location` is a URL on amazonaws.com that the emulator does
 * not serve, so the code is taken from the asset Terraform uploaded and
 * proved to be those bytes: its SHA-256 must equal the CodeSha256 and its size
 * the CodeSize that Lambda computed on upload.
 */
export async function deployedCode(deployment: Deployment): Promise<DeployedCode> {
  const name = deployment.outputs.notifier_function_name;
  const fn = await deployment.clients(ALERTING_REGION).lambda.send(new GetFunctionCommand({ FunctionName: name }));
  const configuration = fn.Configuration;
  if (configuration === undefined) throw new Error(`GetFunction ${name} returned no configuration`);
  const state = deployment.resources.find((r) => r.type === "aws_lambda_function" && r.values.function_name === name);
  if (state === undefined) throw new Error(`no aws_lambda_function named ${name} in the state`);
  const filename = String(state.values.filename);
  const zipPath = isAbsolute(filename) ? filename : join(deployment.stackDir, filename);
  const bytes = readFileSync(zipPath);
  const sha256 = createHash("sha256").update(bytes).digest("base64");
  if (sha256 !== configuration.CodeSha256 || bytes.length !== configuration.CodeSize) {
    throw new Error(
      `${zipPath} (sha256 ${sha256}, ${bytes.length} bytes) is not the code Lambda holds (CodeSha256 ${configuration.CodeSha256}, CodeSize ${configuration.CodeSize})`,
    );
  }
  const codeDir = mkdtempSync(join(tmpdir(), "cta-code-"));
  // python3 is there wherever moto is; `-m zipfile -e` is the portable unzip.
  const unzip = spawnSync("python3", ["-m", "zipfile", "-e", zipPath, codeDir], { encoding: "utf8" });
  if (unzip.status !== 0) throw new Error(`could not extract ${zipPath}: ${unzip.stderr}`);
  return { configuration, zipPath, codeDir };
}

export type HandlerOutcome =
  | { readonly ok: true; readonly value: Json }
  | { readonly ok: false; readonly error: string };

/**
 * Runs the function's handler (`file.export`, resolved as the Node.js runtime
 * does: .mjs, .js, .cjs) in a child Node process, once per event, in order.
 * The child's environment is what Lambda would give it: the function's own
 * variables plus region and credentials, and the emulator's endpoint.
 */
export async function runHandler(options: {
  readonly codeDir: string;
  readonly handler: string;
  readonly environment: Record<string, string>;
  readonly events: Json[];
}): Promise<{ outcomes: HandlerOutcome[]; logs: string }> {
  const dot = options.handler.lastIndexOf(".");
  const [base, exportName] = [options.handler.slice(0, dot), options.handler.slice(dot + 1)];
  const modulePath = [".mjs", ".js", ".cjs"].map((ext) => join(options.codeDir, base + ext)).find((p) => existsSync(p));
  if (modulePath === undefined) throw new Error(`handler ${options.handler}: no ${base}.mjs/.js/.cjs in ${options.codeDir}`);
  const work = mkdtempSync(join(tmpdir(), "cta-invoke-"));
  const eventsFile = join(work, "events.json");
  const resultsFile = join(work, "results.json");
  writeFileSync(eventsFile, JSON.stringify(options.events));
  try {
    const logs = await new Promise<string>((resolveRun, reject) => {
      const child = spawn(process.execPath, [join(__dirname, "invoke-handler.mjs"), modulePath, exportName, eventsFile, resultsFile], {
        cwd: options.codeDir,
        env: { PATH: process.env.PATH ?? "", ...options.environment },
      });
      let output = "";
      child.stdout.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr.on("data", (c: Buffer) => (output += c.toString()));
      child.once("error", reject);
      child.once("close", (code) =>
        code === 0 ? resolveRun(output) : reject(new Error(`the handler process exited ${code}:\n${output.slice(-4000)}`)),
      );
    });
    return { outcomes: JSON.parse(readFileSync(resultsFile, "utf8")) as HandlerOutcome[], logs };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
