/**
 * End to end on the moto emulator (issue 4): deploy the synthesized stack
 * with the real Terraform CLI and AWS provider, check what was created through
 * the AWS SDK, send every CloudTrail sample through the deployed rules, run
 * the uploaded function code on what they deliver, read the alerts from the
 * topic, run the alert destinations' tests on the same deployment
 * (destinations.e2e.ts), then plan (no changes) and destroy.
 *
 * Expectations are computed from the inputs (INDEX.json samples and
 * pipeline.tfvars.json), never hard-coded counts. Emulator gaps the harness
 * patches are listed in ../support/moto_launcher.py.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetTrailStatusCommand, DescribeTrailsCommand, GetEventSelectorsCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeRuleCommand, ListRulesCommand, ListTargetsByRuleCommand, type Target } from "@aws-sdk/client-eventbridge";
import { GetRoleCommand, GetRolePolicyCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { GetFunctionCommand, type FunctionConfiguration } from "@aws-sdk/client-lambda";
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { spawnSync } from "node:child_process";
import { redriveQueue } from "../../scripts/redrive";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { drainQueue } from "../support/aws";
import { PROJECT_ROOT, type Json } from "../support/synth";
import {
  ALERTING_REGION,
  attachProbeQueue,
  deploy,
  deployedCode,
  DETAIL_TYPES,
  detailTypeOf,
  loadSamples,
  missingTools,
  probeRule,
  runHandler,
  sendEvents,
  subscribeInbox,
  wrapRecord,
  type DeployedCode,
  type Deployment,
  type HandlerOutcome,
  type Sample,
} from "./harness";
import { createSubscriberQueue, describeDestinations, type DestinationsVars } from "./destinations.e2e";

const HOME_REGION = "eu-west-1";
const VAR_FILE = join(__dirname, "pipeline.tfvars.json");
const vars = JSON.parse(readFileSync(VAR_FILE, "utf8")) as DestinationsVars & {
  application_name: string;
  sns_endpoint: string[];
  iam_events: string[];
};

const missing = missingTools();
if (missing.length > 0) {
  console.warn(
    `\n!!! END-TO-END SUITE SKIPPED: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not on PATH.\n` +
      `!!! Install ${missing.length > 1 ? "them" : "it"} to deploy the stack on the moto emulator (see README, "Try it without an AWS account").\n`,
  );
}

// ------------------------------------------------------------ expectations

type RuleRole = "iam" | "root";

const ROOT_DETAIL_TYPES: string[] = [DETAIL_TYPES.apiCall, DETAIL_TYPES.consoleSignIn];

/** What each rule must match according to the issue: the configured IAM calls; any root activity. */
const SELECTS: Record<RuleRole, (sample: Sample) => boolean> = {
  iam: ({ record }) =>
    record.eventSource === "iam.amazonaws.com" &&
    vars.iam_events.includes(record.eventName) &&
    detailTypeOf(record) === DETAIL_TYPES.apiCall,
  root: ({ record }) => record.userIdentity?.type === "Root" && ROOT_DETAIL_TYPES.includes(detailTypeOf(record)),
};

const RULE_SUFFIX: Record<RuleRole, string> = { iam: "-iam-events", root: "-root-activity" };
const ROLES: RuleRole[] = ["iam", "root"];

/** Read-only API names: real EventBridge never receives these management events, so no rule should ask for them. */
const READ_ONLY = /^(Get|List|Describe|Lookup|Head|Check)/;

const sorted = (values: Iterable<string>): string[] => [...values].sort();

interface Delivery {
  readonly role: RuleRole;
  readonly sample: Sample;
  /** What the rule's target receives: the event, possibly wrapped by the target's input transformer. */
  readonly input: Json;
  /** The EventBridge event itself (unwrapped). */
  readonly event: Json;
}

/**
 * The rules' targets may wrap the event with labels (`{preset, severity,
 * event}`); the EventBridge event is the object that has a `detail-type`.
 */
const eventOf = (input: Json): Json => (input?.["detail-type"] !== undefined ? input : input?.event);

interface SnsEnvelope {
  readonly MessageId: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

// ------------------------------------------------------------ shared state

const summary = {
  started: Date.now(),
  resources: 0,
  sent: 0,
  matched: {} as Partial<Record<RuleRole, number>>,
  alerts: 0,
  planNoChanges: false,
  destroyed: false,
  example: undefined as SnsEnvelope | undefined,
};

describe.skipIf(missing.length > 0)("end to end on the moto emulator", () => {
  let deployment: Deployment;
  let planAfterApply: ReturnType<Deployment["plan"]>;
  let samples: Sample[];
  const ruleNames = {} as Record<RuleRole, string>;

  beforeAll(async () => {
    samples = loadSamples();
    deployment = await deploy({ varFile: VAR_FILE, homeRegion: HOME_REGION, prepare: (moto) => createSubscriberQueue(moto, vars) });
    summary.resources = deployment.resources.length;
    for (const role of ROLES) {
      const name = deployment.outputs.event_rule_names.find((n) => n.endsWith(RULE_SUFFIX[role]));
      if (name === undefined) throw new Error(`no ${role} rule among ${deployment.outputs.event_rule_names.join(", ")}`);
      ruleNames[role] = name;
    }
    // The plan only reads; it runs while the SDK checks and event probes go on.
    planAfterApply = deployment.plan();
    planAfterApply.catch(() => undefined);
  }, 300_000);

  afterAll(async () => {
    try {
      // Normally already done by the last test; bounded so the emulator is stopped even if destroy hangs.
      if (deployment !== undefined) {
        await Promise.race([deployment.destroy(), new Promise((resolve) => setTimeout(resolve, 120_000).unref())]);
      }
    } finally {
      await deployment?.close();
      if (deployment !== undefined) printSummary(deployment);
    }
  }, 180_000);

  const alerting = () => deployment.clients(ALERTING_REGION);
  const home = () => deployment.clients(HOME_REGION);
  const queueArn = async (name: string): Promise<string> => {
    const { QueueUrl } = await alerting().sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const { Attributes } = await alerting().sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    return Attributes?.QueueArn ?? "";
  };

  // ---------------------------------------------------------------- step 3

  describe("what terraform created, read back through the AWS SDK", () => {
    it("applies the whole stack, named after application_name", () => {
      const types = new Set(deployment.resources.map((r) => r.type));
      for (const type of [
        "aws_cloudtrail",
        "aws_s3_bucket",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_cloudwatch_event_rule",
        "aws_cloudwatch_event_target",
        "aws_lambda_function",
        "aws_lambda_permission",
        "aws_sns_topic",
        "aws_sns_topic_subscription",
        "aws_sqs_queue",
      ]) {
        expect(types, type).toContain(type);
      }
      expect(deployment.outputs.notifier_function_name).toBe(`${vars.application_name}-notifier`);
      expect(deployment.outputs.alerting_region).toBe(ALERTING_REGION);
    });

    it("the trail is logging, multi-region, with global service events and log file validation, into the log bucket", async () => {
      const trailArn = deployment.outputs.trail_arn;
      expect(trailArn).toContain(`:cloudtrail:${HOME_REGION}:`);
      const { trailList = [] } = await home().cloudTrail.send(new DescribeTrailsCommand({ trailNameList: [trailArn] }));
      expect(trailList).toHaveLength(1);
      expect(trailList[0]).toMatchObject({
        TrailARN: trailArn,
        HomeRegion: HOME_REGION,
        S3BucketName: deployment.outputs.log_bucket_name,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        LogFileValidationEnabled: true,
      });
      const status = await home().cloudTrail.send(new GetTrailStatusCommand({ Name: trailArn }));
      expect(status.IsLogging).toBe(true);
      const selectors = await home().cloudTrail.send(new GetEventSelectorsCommand({ TrailName: trailArn }));
      expect(selectors.EventSelectors).toEqual([
        expect.objectContaining({ ReadWriteType: "All", IncludeManagementEvents: true }),
      ]);
    });

    it("the log bucket is in the home region, locked down, and writable only by this trail over TLS", async () => {
      const Bucket = deployment.outputs.log_bucket_name;
      const s3 = home().s3;
      expect((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBe(HOME_REGION);
      expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
      expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toMatch(
        /^(AES256|aws:kms)$/,
      );
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
      expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules).toEqual([
        { ObjectOwnership: "BucketOwnerEnforced" },
      ]);
      const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
      expect(lifecycle.Rules?.[0]).toMatchObject({ Status: "Enabled", Expiration: { Days: expect.any(Number) } });

      const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? "{}");
      const bySid = Object.fromEntries((policy.Statement as Json[]).map((s) => [s.Sid, s]));
      const account = deployment.outputs.trail_arn.split(":")[4];
      const trailOnly = { StringEquals: expect.objectContaining({ "aws:SourceArn": deployment.outputs.trail_arn }) };
      expect(bySid.AWSCloudTrailAclCheck).toMatchObject({ Effect: "Allow", Action: "s3:GetBucketAcl", Condition: trailOnly });
      expect(bySid.AWSCloudTrailWrite).toMatchObject({
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${Bucket}/AWSLogs/${account}/*`,
        Condition: trailOnly,
      });
      expect(bySid.DenyInsecureTransport).toMatchObject({
        Effect: "Deny",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    });

    it("the rules are in us-east-1 (not the home region), enabled, with the configured patterns", async () => {
      const prefix = vars.application_name;
      const inAlerting = await alerting().events.send(new ListRulesCommand({ NamePrefix: prefix }));
      // The alerting rules, and the liveness rules that alert nobody on an event (__tests__/liveness/).
      const liveness = [`${prefix}-heartbeat`, `${prefix}-regional-alarms`];
      expect(sorted((inAlerting.Rules ?? []).map((r) => r.Name ?? ""))).toEqual(sorted([...deployment.outputs.event_rule_names, ...liveness]));
      // The home region has no IAM rule (IAM events exist only in us-east-1); whatever
      // rules it has only forward to us-east-1's default bus, never to the function.
      const inHome = await home().events.send(new ListRulesCommand({ NamePrefix: prefix }));
      expect((inHome.Rules ?? []).map((r) => r.Name)).not.toContain(ruleNames.iam);
      for (const rule of inHome.Rules ?? []) {
        const { Targets = [] } = await home().events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
        expect(Targets.map((t) => t.Arn), rule.Name).toEqual(
          Targets.map(() => expect.stringMatching(new RegExp(`^arn:aws:events:${ALERTING_REGION}:\\d{12}:event-bus/default$`))),
        );
      }

      // The IAM pattern is built from tfvars alone, so it is pinned exactly; the
      // root pattern is the product's own (it may refine what counts as root
      // activity), so only its essentials are pinned here: step 4 proves what it matches.
      const iam = await alerting().events.send(new DescribeRuleCommand({ Name: ruleNames.iam }));
      expect(iam.State).toBe("ENABLED");
      expect(JSON.parse(iam.EventPattern ?? "null")).toEqual({
        source: ["aws.iam"],
        "detail-type": [DETAIL_TYPES.apiCall],
        detail: { eventSource: ["iam.amazonaws.com"], eventName: vars.iam_events },
      });
      const root = await alerting().events.send(new DescribeRuleCommand({ Name: ruleNames.root }));
      expect(root.State).toBe("ENABLED");
      const rootPattern = JSON.parse(root.EventPattern ?? "null");
      expect([...rootPattern["detail-type"]].sort()).toEqual([DETAIL_TYPES.apiCall, DETAIL_TYPES.consoleSignIn].sort());
      expect(rootPattern.detail.userIdentity.type).toEqual(["Root"]);
    });

    it("each rule targets the function, with the retry policy and the delivery dead-letter queue", async () => {
      const { Configuration } = await alerting().lambda.send(
        new GetFunctionCommand({ FunctionName: deployment.outputs.notifier_function_name }),
      );
      const deliveryDlq = await queueArn(`${vars.application_name}-delivery-dlq`);
      for (const role of ROLES) {
        const { Targets = [] } = await alerting().events.send(new ListTargetsByRuleCommand({ Rule: ruleNames[role] }));
        const deployed = Targets.filter((t: Target) => !t.Id?.startsWith("e2e-"));
        expect(deployed, role).toEqual([
          expect.objectContaining({
            Arn: Configuration?.FunctionArn,
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: deliveryDlq },
          }),
        ]);
      }
    });

    it("the function runs the bundle on Node.js 22 with the topic's ARN, its own role and a dead-letter queue", async () => {
      const name = deployment.outputs.notifier_function_name;
      const { Configuration: fn = {} as FunctionConfiguration } = await alerting().lambda.send(new GetFunctionCommand({ FunctionName: name }));
      expect(fn).toMatchObject({
        Runtime: "nodejs22.x",
        Handler: "index.handler",
        Architectures: ["arm64"],
        Timeout: 30,
        MemorySize: 256,
        Environment: { Variables: { TOPIC_ARN: deployment.outputs.topic_arn } },
        DeadLetterConfig: { TargetArn: await queueArn(`${vars.application_name}-notifier-dlq`) },
      });
      expect(fn.FunctionArn).toContain(`:lambda:${ALERTING_REGION}:`);

      const { Role } = await alerting().iam.send(new GetRoleCommand({ RoleName: name }));
      expect(fn.Role).toBe(Role?.Arn);
      const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? "{}"));
      expect(trust.Statement).toEqual([
        expect.objectContaining({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }),
      ]);
      // The role may publish to this topic, the heartbeat's (no person reads it: __tests__/liveness/) and the
      // structured-alert topic (pipeline.tfvars.json subscribes a queue to it: destinations.e2e.ts), and to nothing else.
      const { PolicyNames = [] } = await alerting().iam.send(new ListRolePoliciesCommand({ RoleName: name }));
      const statements: Json[] = [];
      for (const PolicyName of PolicyNames) {
        const inline = await alerting().iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName }));
        statements.push(...[JSON.parse(decodeURIComponent(inline.PolicyDocument ?? "{}")).Statement].flat());
      }
      const publish = statements.filter((s) => s.Effect === "Allow" && [s.Action].flat().includes("sns:Publish"));
      const heartbeatTopic = deployment.outputs.topic_arn.replace(/-alerts$/, "-heartbeat");
      // (resources of aws_iam_policy_document are a set: compare in sorted order)
      const structuredTopic = (deployment.outputs as unknown as { structured_topic_arn: string }).structured_topic_arn;
      expect(sorted(publish.flatMap((s) => [s.Resource].flat()))).toEqual(sorted([deployment.outputs.topic_arn, heartbeatTopic, structuredTopic]));
    });

    it("the topic is encrypted and has one email subscription per configured address", async () => {
      const TopicArn = deployment.outputs.topic_arn;
      expect(TopicArn).toContain(`:sns:${ALERTING_REGION}:`);
      const { Attributes } = await alerting().sns.send(new GetTopicAttributesCommand({ TopicArn }));
      expect(Attributes?.KmsMasterKeyId).toBeTruthy();
      const { Subscriptions = [] } = await alerting().sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      const email = Subscriptions.filter((s) => s.Protocol === "email");
      expect(sorted(email.map((s) => s.Endpoint ?? ""))).toEqual(sorted(vars.sns_endpoint));
    });
  });

  // ---------------------------------------------------------------- step 4

  describe("the deployed patterns, matched by the emulator's EventBridge", () => {
    const deliveries: Delivery[] = [];
    const probeMatches = {} as Record<RuleRole, string[]>;

    beforeAll(async () => {
      const c = alerting();
      const probes = await Promise.all(ROLES.map((role) => attachProbeQueue(deployment, ruleNames[role])));
      const ids = await sendEvents(c, samples.map((s) => wrapRecord(s.record)));
      summary.sent = ids.length;
      const sampleById = new Map(ids.map((id, i) => [id, samples[i]!]));
      for (const [i, role] of ROLES.entries()) {
        for (const message of await drainQueue(c.sqs, probes[i]!.queue)) {
          const input = JSON.parse(message.Body ?? "null");
          const event = eventOf(input);
          const sample = sampleById.get(event?.id);
          if (sample === undefined) throw new Error(`${role} rule delivered an event that was not sent: ${message.Body?.slice(0, 300)}`);
          deliveries.push({ role, sample, input, event });
        }
      }

      // The fallback, run as a cross-check: each deployed pattern,
      // read back with DescribeRule, on a probe rule of its own bus.
      for (const role of ROLES) {
        const { EventPattern } = await c.events.send(new DescribeRuleCommand({ Name: ruleNames[role] }));
        const probe = await probeRule(c, { name: `probe-${role}`, eventPattern: EventPattern ?? "" });
        try {
          const probeIds = await sendEvents(c, samples.map((s) => wrapRecord(s.record, probe.eventBusName)));
          const byId = new Map(probeIds.map((id, i) => [id, samples[i]!.file]));
          probeMatches[role] = (await drainQueue(c.sqs, probe.queue)).map((m: Message) => byId.get(JSON.parse(m.Body ?? "{}").id) ?? "?");
        } finally {
          await probe.remove();
        }
      }
    }, 120_000);

    const delivered = (role: RuleRole): string[] => sorted(deliveries.filter((d) => d.role === role).map((d) => d.sample.file));

    it("accepts every sample in PutEvents", () => {
      expect(summary.sent).toBe(samples.length);
      expect(samples.length).toBeGreaterThan(100);
    });

    it.each(ROLES)("the %s rule delivers exactly the samples the configuration selects, once each", (role) => {
      const expected = sorted(samples.filter(SELECTS[role]).map((s) => s.file));
      expect(expected.length, "the tfvars should select several samples").toBeGreaterThan(3);
      expect(delivered(role)).toEqual(expected);
      summary.matched[role] = delivered(role).length;
    });

    it("ignores noise: other services, read-only calls, and listed names recorded by other services", () => {
      const iam = deliveries.filter((d) => d.role === "iam").map((d) => d.sample);
      expect(iam.every((s) => s.record.eventSource === "iam.amazonaws.com")).toBe(true);
      // Names in the list that other services also record (StopLogging is CloudTrail's) must not match.
      const foreign = samples.filter((s) => vars.iam_events.includes(s.record.eventName) && s.record.eventSource !== "iam.amazonaws.com");
      expect(foreign.length, "pipeline.tfvars.json lists a non-IAM name on purpose").toBeGreaterThan(0);
      const readOnlyIam = samples.filter((s) => s.record.eventSource === "iam.amazonaws.com" && READ_ONLY.test(s.record.eventName));
      expect(readOnlyIam.length).toBeGreaterThan(0);
      const deliveredFiles = new Set(deliveries.map((d) => d.sample.file));
      for (const s of [...foreign, ...readOnlyIam]) {
        if (s.record.userIdentity?.type === "Root") continue; // root activity is alerted whatever it is
        expect(deliveredFiles.has(s.file), s.file).toBe(false);
      }
      const otherServices = samples.filter((s) => s.record.eventSource !== "iam.amazonaws.com" && s.record.userIdentity?.type !== "Root");
      expect(otherServices.length).toBeGreaterThan(50);
      expect(otherServices.filter((s) => deliveredFiles.has(s.file))).toEqual([]);
    });

    it("delivers the events as EventBridge does: CloudTrail source and detail-type, the record unchanged as detail", () => {
      for (const { sample, event } of deliveries) {
        expect(event, sample.file).toMatchObject({
          version: "0",
          source: `aws.${sample.record.eventSource.replace(".amazonaws.com", "")}`,
          "detail-type": detailTypeOf(sample.record),
          account: expect.stringMatching(/^\d{12}$/),
          region: ALERTING_REGION,
        });
        expect(event.detail, sample.file).toEqual(sample.record);
      }
    });

    it("a probe rule with each deployed pattern (the fallback for emulators that cannot deliver) matches the same samples", () => {
      for (const role of ROLES) expect(sorted(probeMatches[role]), role).toEqual(delivered(role));
    });

    // ------------------------------------------------------------ step 5

    describe("the uploaded function code turns each delivered event into one alert", () => {
      let code: DeployedCode;
      let outcomes: HandlerOutcome[];
      let handlerLogs: string;
      let alerts: SnsEnvelope[];

      beforeAll(async () => {
        const c = alerting();
        code = await deployedCode(deployment);
        // Raw delivery off: the SNS envelope keeps Subject and MessageAttributes, as an email would show them.
        const inbox = await subscribeInbox(deployment, deployment.outputs.topic_arn, "e2e-alert-inbox");

        const run = await runHandler({
          codeDir: code.codeDir,
          handler: code.configuration.Handler ?? "",
          // What Lambda gives the function: its configured variables, its region, credentials.
          environment: {
            ...(code.configuration.Environment?.Variables ?? {}),
            ...deployment.moto.env(ALERTING_REGION),
            AWS_LAMBDA_FUNCTION_NAME: code.configuration.FunctionName ?? "",
          },
          events: deliveries.map((d) => d.input),
        });
        outcomes = run.outcomes;
        handlerLogs = run.logs;
        alerts = (await drainQueue(c.sqs, inbox)).map((m) => JSON.parse(m.Body ?? "{}") as SnsEnvelope);
        summary.alerts = alerts.length;
        summary.example = alerts.find((a) => a.MessageAttributes?.is_root?.Value === "true") ?? alerts[0];
      }, 120_000);

      it("runs the code Lambda holds: the asset's SHA-256 is the function's CodeSha256", () => {
        expect(existsSync(code.zipPath)).toBe(true);
        expect(existsSync(join(code.codeDir, "index.mjs"))).toBe(true);
      });

      it("every invocation succeeds and publishes exactly one alert", () => {
        expect(deliveries.length).toBeGreaterThan(0);
        expect(outcomes.filter((o) => !o.ok), handlerLogs.slice(-2000)).toEqual([]);
        expect(alerts).toHaveLength(deliveries.length);
        const published = sorted(outcomes.map((o) => (o.ok ? String(o.value?.messageId) : "")));
        expect(sorted(alerts.map((a) => a.MessageId))).toEqual(published);
      });

      it("subjects are printable ASCII under 100 characters, name the event, and flag severity and the root user", () => {
        const byMessageId = alertsByMessageId();
        for (const [i, { sample, input }] of deliveries.entries()) {
          const alert = byMessageId.get(messageIdOf(outcomes[i]));
          const subject = alert?.Subject ?? "";
          expect(subject.length, sample.file).toBeGreaterThan(0);
          expect(subject.length, sample.file).toBeLessThan(100);
          expect(subject, sample.file).toMatch(/^[\x20-\x7e]+$/);
          expect(subject, sample.file).toContain(sample.record.eventName);
          const severity = input?.severity === undefined ? "" : `[${String(input.severity).toUpperCase()}] `;
          const root = sample.record.userIdentity?.type === "Root" ? "[ROOT] " : "";
          expect(subject.startsWith(`${severity}${root}${sample.record.eventName} `), `${sample.file}: ${subject}`).toBe(true);
        }
      });

      it("message attributes carry event name and source, account, root and failure flags, and the rule's labels", () => {
        const byMessageId = alertsByMessageId();
        for (const [i, { sample, input, event }] of deliveries.entries()) {
          const { record } = sample;
          const attributes = Object.fromEntries(
            Object.entries(byMessageId.get(messageIdOf(outcomes[i]))?.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value]),
          );
          const failed =
            Boolean(record.errorCode) || Boolean(record.errorMessage) || record.responseElements?.[record.eventName] === "Failure";
          expect(attributes, sample.file).toMatchObject({
            event_name: record.eventName,
            event_source: record.eventSource,
            account_id: record.recipientAccountId ?? event.account,
            is_root: String(record.userIdentity?.type === "Root"),
            is_error: String(failed),
            detail_type: event["detail-type"],
            alert_kind: "cloudtrail",
            ...(input?.severity !== undefined ? { severity: input.severity } : {}),
            ...(input?.preset !== undefined ? { preset: input.preset } : {}),
          });
        }
      });

      it("the message body names the event and carries the CloudTrail record", () => {
        const byMessageId = alertsByMessageId();
        for (const [i, { sample }] of deliveries.entries()) {
          const message = byMessageId.get(messageIdOf(outcomes[i]))?.Message ?? "";
          expect(message, sample.file).toContain(sample.record.eventName);
          if (typeof sample.record.eventID === "string") expect(message, sample.file).toContain(sample.record.eventID);
        }
      });

      const messageIdOf = (outcome: HandlerOutcome | undefined): string => (outcome?.ok ? String(outcome.value?.messageId) : "");
      const alertsByMessageId = (): Map<string, SnsEnvelope> => new Map(alerts.map((a) => [a.MessageId, a]));
    });
  });

  // ------------------------------------------------- failure paths (issue 7)

  describe("failure paths: alarms and redrive", () => {
    const deliveryDlqName = (): string => `${vars.application_name}-delivery-dlq`;
    let code: DeployedCode;
    let dlqUrl: string;
    // A real CreateUser record, as EventBridge delivered it to the rule's target.
    const record = loadSamples().find((s) => s.record.eventName === "CreateUser")!.record;
    const entry = wrapRecord(record);
    const deadLettered = JSON.stringify({
      version: "0",
      id: "6f3f1a8e-0000-4000-8000-00000000dead",
      "detail-type": entry.DetailType,
      source: entry.Source,
      account: record.recipientAccountId,
      time: record.eventTime,
      region: ALERTING_REGION,
      resources: [],
      detail: record,
    });

    beforeAll(async () => {
      code = await deployedCode(deployment);
      ({ QueueUrl: dlqUrl = "" } = await alerting().sqs.send(new GetQueueUrlCommand({ QueueName: deliveryDlqName() })));
    });

    /** Subscribes a fresh queue to the topic and returns a reader of what SNS delivered there. */
    const inbox = async (name: string): Promise<() => Promise<SnsEnvelope[]>> => {
      const queue = await subscribeInbox(deployment, deployment.outputs.topic_arn, name);
      return async () => (await drainQueue(alerting().sqs, queue)).map((m) => JSON.parse(m.Body ?? "{}") as SnsEnvelope);
    };
    const queueDepth = async (): Promise<{ visible: number; inFlight: number }> => {
      const { Attributes = {} } = await alerting().sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: dlqUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
    };
    /**
     * moto cannot execute Lambda functions (no container runtime here), so the
     * notifier's invocation is the one thing replaced: the code Terraform
     * uploaded runs locally with the function's own environment.
     */
    const runUploadedCode = async (payload: string): Promise<void> => {
      const { outcomes } = await runHandler({
        codeDir: code.codeDir,
        handler: code.configuration.Handler ?? "",
        environment: { ...(code.configuration.Environment?.Variables ?? {}), ...deployment.moto.env(ALERTING_REGION) },
        events: [JSON.parse(payload)],
      });
      if (!outcomes[0]?.ok) throw new Error(`the notifier failed: ${JSON.stringify(outcomes[0])}`);
    };

    it("an alarm on each dead-letter queue, the function's errors and throttles and each rule's failures publishes to the topic", async () => {
      const { MetricAlarms = [] } = await alerting().cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: vars.application_name }));
      const watched = MetricAlarms.map((a) => `${a.Namespace}/${a.MetricName}/${a.Dimensions?.map((d) => d.Value).join(",")}`).sort();
      expect(watched).toEqual(
        expect.arrayContaining([
          `AWS/SQS/ApproximateNumberOfMessagesVisible/${deliveryDlqName()}`,
          `AWS/SQS/ApproximateNumberOfMessagesVisible/${vars.application_name}-notifier-dlq`,
          `AWS/Lambda/Errors/${deployment.outputs.notifier_function_name}`,
          `AWS/Lambda/Throttles/${deployment.outputs.notifier_function_name}`,
          ...deployment.outputs.event_rule_names.map((rule) => `AWS/Events/FailedInvocations/${rule}`),
        ]),
      );
      for (const alarm of MetricAlarms) {
        expect(alarm.AlarmActions, alarm.AlarmName).toEqual([deployment.outputs.topic_arn]);
        // SNS keeps nothing it failed to deliver: that alarm points at npm run status instead (__tests__/liveness/).
        if (alarm.Namespace === "AWS/SNS") continue;
        expect(alarm.AlarmDescription, alarm.AlarmName).toContain("npm run redrive");
      }
    });

    it("the delivery dead-letter queue admits exactly the deployed rules (their ARNs, built from names, match)", async () => {
      const { Attributes = {} } = await alerting().sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["Policy"] }));
      const allow = (JSON.parse(Attributes.Policy ?? "{}").Statement as Json[]).find((st) => st.Sid === "AllowEventBridgeDeadLetters");
      const admitted = [allow?.Condition?.ArnEquals?.["aws:SourceArn"]].flat().sort();
      const { Rules = [] } = await alerting().events.send(new ListRulesCommand({ NamePrefix: vars.application_name }));
      const deployed = Rules.filter((r) => !r.Name?.startsWith("probe")).map((r) => r.Arn).sort();
      expect(deployed.length).toBeGreaterThan(1);
      expect(admitted).toEqual(expect.arrayContaining(deployed));
      expect(admitted).toHaveLength(deployed.length);
    });

    it("the topic policy lets this deployment's CloudWatch alarms publish (moto does not evaluate alarms, so this is what is checked)", async () => {
      const { Attributes = {} } = await alerting().sns.send(new GetTopicAttributesCommand({ TopicArn: deployment.outputs.topic_arn }));
      const statements = JSON.parse(Attributes.Policy ?? "{}").Statement as Json[];
      const alarms = statements.find((s) => s.Sid === "AllowThisDeploymentsAlarms");
      expect(alarms).toMatchObject({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish" });
      expect(JSON.stringify(alarms.Condition)).toContain(`:alarm:${vars.application_name}-*`);
    });

    it("redrive moves a dead-lettered event through the notifier to the topic and empties the queue", async () => {
      const read = await inbox("e2e-redrive-inbox");
      await alerting().sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: deadLettered }));

      const result = await redriveQueue({ sqs: alerting().sqs, queueUrl: dlqUrl, invoke: runUploadedCode });

      expect(result).toEqual({ replayed: 1, failed: 0 });
      expect(await queueDepth()).toEqual({ visible: 0, inFlight: 0 });
      const alerts = await read();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.Subject).toContain("CreateUser");
    });

    it("an event whose replay fails stays in the dead-letter queue", async () => {
      await alerting().sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: deadLettered }));
      const result = await redriveQueue({
        sqs: alerting().sqs,
        queueUrl: dlqUrl,
        invoke: async () => {
          throw new Error("notifier unavailable");
        },
      });
      expect(result).toEqual({ replayed: 0, failed: 1 });
      expect(await queueDepth()).toEqual({ visible: 0, inFlight: 1 });
    });

    it("npm run redrive replays both queues through the deployed function by name (asynchronous Invoke)", async () => {
      await alerting().sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: deadLettered }));
      const run = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "scripts", "redrive.ts"), "--application-name", vars.application_name], {
        env: { ...process.env, ...deployment.moto.env(ALERTING_REGION) },
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain(`${deliveryDlqName()}: replayed 1 event(s) through ${deployment.outputs.notifier_function_name}`);
      expect(run.stdout).toContain(`${vars.application_name}-notifier-dlq: replayed 0 event(s)`);
    });
  });

  // ---------------------------------------------------------------- step 6

  // ---------------------------------------------------------------- destinations (issue 16), on this deployment

  describeDestinations(() => deployment, vars);

  describe("after apply", () => {
    it("terraform plan shows no changes", async () => {
      const result = await planAfterApply;
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      summary.planNoChanges = true;
    });

    it("terraform destroy removes everything it created", async () => {
      const result = await deployment.destroy();
      expect(result.code, `${result.stderr}\n${result.stdout.slice(-3000)}`).toBe(0);
      const destroyedCount = [...result.stdout.matchAll(/Resources: (\d+) destroyed/g)].reduce((n, m) => n + Number(m[1]), 0);
      expect(destroyedCount).toBe(deployment.resources.length);
      expect((await deployment.terraform.ok(["state", "list"])).trim()).toBe("");
      const rules = await alerting().events.send(new ListRulesCommand({ NamePrefix: vars.application_name }));
      expect(rules.Rules ?? []).toEqual([]);
      summary.destroyed = true;
    }, 180_000);
  });
});

function printSummary(deployment: Deployment): void {
  const t = deployment.timings;
  const total = Math.round((Date.now() - summary.started) / 1000);
  const matched = ROLES.map((role) => `${role} ${summary.matched[role] ?? "?"}`).join(", ");
  const lines = [
    "",
    "── end to end on moto ─────────────────────────────────────────",
    `resources created : ${summary.resources} (trail + bucket in ${HOME_REGION}, rules/function/topic in ${ALERTING_REGION})`,
    `events sent       : ${summary.sent} CloudTrail samples`,
    `matched           : ${matched}`,
    `alerts received   : ${summary.alerts}`,
    `plan after apply  : ${summary.planNoChanges ? "no changes" : "NOT CHECKED OR CHANGES"}; destroy: ${summary.destroyed ? "ok" : "NOT CONFIRMED"}`,
    `seconds           : ${total} total (synth ${t.synth}, init ${t.init}, apply ${t.apply}, plan ${t.plan}, destroy ${t.destroy})`,
  ];
  const example = summary.example;
  if (example !== undefined) {
    const attributes = Object.entries(example.MessageAttributes ?? {})
      .map(([k, v]) => `${k}=${v.Value}`)
      .join(" ");
    const body = example.Message.split("\n").slice(0, 12).map((l) => `  ${l}`);
    lines.push("example alert:", `  Subject: ${example.Subject}`, `  Attributes: ${attributes}`, ...body, "  ...");
  }
  console.log(lines.join("\n"));
}
