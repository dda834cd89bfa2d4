/**
 * The liveness concern on the moto emulator, on the presets e2e's deployment
 * (presets.e2e.test.ts registers these tests with `describeLiveness` after its
 * plan after apply and before its destroy; a deployment of their own cost one
 * more apply, about 25 CPU-seconds, for a stack the presets one contains): the
 * heartbeat's links as far as the emulator can run them, then
 * `npm run status` on the deployment: healthy, unhealthy once a rule is
 * disabled through the SDK, unhealthy once the notifier is deleted (so these
 * run last; the destroy after them finds the function gone).
 *
 * What the emulator cannot do, and what stands in for it:
 * - it does not run schedules: the schedule's call is the synthetic TagRole
 *   record (built from the documentation) put on the bus as CloudTrail would;
 * - it does not run Lambda: the deployed code runs locally on what the rule
 *   delivered (`runHandler`), with the function's own environment;
 * - it does not extract embedded-metric-format lines: the line the code wrote
 *   is put with PutMetricData, field by field, as CloudWatch Logs would;
 * - it does not evaluate alarms: the alarm's metric is compared with that line.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DescribeAlarmsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DeleteFunctionCommand } from "@aws-sdk/client-lambda";
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
} from "@aws-sdk/client-sns";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { heartbeatPattern } from "../../src/liveness/heartbeat-pattern";
import { drainQueue } from "../support/aws";
import { PROJECT_ROOT, type Json } from "../support/synth";
import {
  ALERTING_REGION,
  deployedCode,
  loadSamples,
  runHandler,
  sendEvents,
  subscribeInbox,
  wrapRecord,
  type DeployedCode,
  type Deployment,
  type HandlerOutcome,
} from "../e2e/harness";
import { attachLabelledProbe } from "../presets/labelled-probe";

const ACCOUNT = "123456789012"; // moto's default account

/** What the tests need of the deployment's tfvars: a heartbeat every 10 minutes and at least one email recipient. */
export interface LivenessVars {
  readonly application_name: string;
  readonly heartbeat_interval_minutes: 10;
  readonly sns_endpoint: readonly string[];
}

interface SnsEnvelope {
  readonly Subject?: string;
  readonly Message: string;
  readonly MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/** The names the stack gives the liveness resources of `app`. */
function namesOf(app: string) {
  return {
    canary: `${app}-heartbeat-canary`,
    schedulerRole: `${app}-heartbeat-scheduler`,
    rule: `${app}-heartbeat`,
    heartbeatTopic: `arn:aws:sns:${ALERTING_REGION}:${ACCOUNT}:${app}-heartbeat`,
    alarm: `${app}-heartbeat-missing`,
    function: `${app}-notifier`,
  };
}

/** The synthetic record of the schedule's call, with this deployment's names (what CloudTrail would record here). */
function scheduleCall(N: ReturnType<typeof namesOf>): Json {
  const record = JSON.parse(readFileSync(join(PROJECT_ROOT, "__tests__/fixtures/synthetic/iam-TagRole-heartbeat.json"), "utf8"));
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/${N.schedulerRole}/heartbeat-session`;
  record.requestParameters.roleName = N.canary;
  record.userIdentity.arn = session;
  record.userIdentity.sessionContext.sessionIssuer.arn = `arn:aws:iam::${ACCOUNT}:role/${N.schedulerRole}`;
  record.userIdentity.sessionContext.sessionIssuer.userName = N.schedulerRole;
  record.eventTime = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return record;
}

/**
 * Registers the liveness tests, to run on `current()` (applied with `vars`,
 * home region `homeRegion`) once the caller's own tests and its plan after
 * apply are done: the last two delete and disable what a plan would compare.
 */
export function describeLiveness(current: () => Deployment, vars: LivenessVars, homeRegion: string): void {
  describe("liveness", () => liveness(current, vars, homeRegion));
}

function liveness(current: () => Deployment, vars: LivenessVars, HOME_REGION: string): void {
  const APP = vars.application_name;
  const N = namesOf(APP);
  let deployment: Deployment;
  let code: DeployedCode;
  const alerting = () => deployment.clients(ALERTING_REGION);

  beforeAll(async () => {
    deployment = current();
    code = await deployedCode(deployment);
  });

  /** A queue subscribed to a topic, without a filter policy (as the email recipients are); read back as SNS delivered. */
  const inbox = async (topicArn: string, name: string): Promise<() => Promise<SnsEnvelope[]>> => {
    const queue = await subscribeInbox(deployment, topicArn, name);
    return async () => (await drainQueue(alerting().sqs, queue)).map((m) => JSON.parse(m.Body ?? "{}") as SnsEnvelope);
  };

  /** The deployed code, run locally with the function's environment (and the name Lambda gives it). */
  const runNotifier = (events: Json[]): Promise<{ outcomes: HandlerOutcome[]; logs: string }> =>
    runHandler({
      codeDir: code.codeDir,
      handler: code.configuration.Handler ?? "",
      environment: {
        ...(code.configuration.Environment?.Variables ?? {}),
        ...deployment.moto.env(ALERTING_REGION),
        AWS_LAMBDA_FUNCTION_NAME: code.configuration.FunctionName ?? "",
      },
      events,
    });

  const status = (): { code: number | null; out: string } => {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "scripts", "status.ts"), "--application-name", APP], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...deployment.moto.env(HOME_REGION) },
      encoding: "utf8",
    });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  };

  let delivered: Json;
  let emfLine: Json;

  describe("the heartbeat, link by link", () => {
    it("schedule: deployed in us-east-1, tagging the canary through the universal target with the scheduler role", () => {
      const schedule = deployment.resources.find((r) => r.type === "aws_scheduler_schedule");
      expect(schedule?.values).toMatchObject({ name: `${APP}-heartbeat`, schedule_expression: "rate(10 minutes)" });
      expect(schedule?.values.arn).toContain(`:scheduler:${ALERTING_REGION}:`);
      expect(schedule?.values.target[0]).toMatchObject({
        arn: "arn:aws:scheduler:::aws-sdk:iam:tagRole",
        role_arn: `arn:aws:iam::${ACCOUNT}:role/${N.schedulerRole}`,
      });
    });

    it("canary: nobody may assume it, and it has no policy at all", async () => {
      const { Role } = await alerting().iam.send(new GetRoleCommand({ RoleName: N.canary }));
      const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? "{}"));
      expect(trust.Statement.map((s: Json) => s.Effect)).toEqual(["Deny"]);
      expect((await alerting().iam.send(new ListRolePoliciesCommand({ RoleName: N.canary }))).PolicyNames).toEqual([]);
      expect((await alerting().iam.send(new ListAttachedRolePoliciesCommand({ RoleName: N.canary }))).AttachedPolicies).toEqual([]);
    });

    it("rule: the deployed pattern is the heartbeat pattern, and the schedule's TagRole record reaches the notifier labelled 'heartbeat'", async () => {
      const { EventPattern } = await alerting().events.send(new DescribeRuleCommand({ Name: N.rule }));
      expect(JSON.parse(EventPattern ?? "{}")).toEqual(
        heartbeatPattern({ canaryRoleName: N.canary, schedulerRoleArn: `arn:aws:iam::${ACCOUNT}:role/${N.schedulerRole}` }),
      );
      const probe = await attachLabelledProbe(deployment, N.rule);
      await sendEvents(alerting(), [wrapRecord(scheduleCall(N))]);
      const messages = await drainQueue(alerting().sqs, probe);
      expect(messages).toHaveLength(1);
      delivered = JSON.parse(messages[0]!.Body ?? "{}");
      expect(delivered.preset).toBe("heartbeat");
      expect(delivered.event.detail.eventName).toBe("TagRole");
    });

    it("notifier: publishes the heartbeat to the heartbeat topic with its attribute, never to the alert topic, and counts it after", async () => {
      const alertInbox = await inbox(deployment.outputs.topic_arn, "e2e-live-alert-inbox");
      const heartbeatInbox = await inbox(N.heartbeatTopic, "e2e-live-heartbeat-inbox");
      const createUser = loadSamples().find((s) => s.record.eventName === "CreateUser")!.record;
      const alert = {
        preset: "iam-events",
        severity: "high",
        event: {
          ...JSON.parse(JSON.stringify(wrapRecord(createUser))),
          "detail-type": "AWS API Call via CloudTrail",
          source: "aws.iam",
          detail: createUser,
        },
      };

      const { outcomes, logs } = await runNotifier([delivered, alert]);

      expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
      const toPeople = await alertInbox();
      expect(toPeople.map((m) => m.MessageAttributes?.event_name?.Value)).toEqual(["CreateUser"]);
      const heartbeats = await heartbeatInbox();
      expect(heartbeats).toHaveLength(1);
      expect(heartbeats[0]!.MessageAttributes?.heartbeat?.Value).toBe("true");
      const lines = logs.split("\n").filter((l) => l.includes('"CloudWatchMetrics"'));
      expect(lines).toHaveLength(1);
      emfLine = JSON.parse(lines[0]!);
    });

    it("alarm notifications (published without attributes) reach the people's subscriptions, which carry no filter policy", async () => {
      const read = await inbox(deployment.outputs.topic_arn, "e2e-live-alarm-inbox");
      await alerting().sns.send(
        new PublishCommand({
          TopicArn: deployment.outputs.topic_arn,
          Subject: `ALARM: ${N.alarm}`,
          Message: JSON.stringify({ AlarmName: N.alarm, NewStateValue: "ALARM" }),
        }),
      );
      expect((await read()).map((m) => m.Subject)).toEqual([`ALARM: ${N.alarm}`]);
      // moto delivers an attribute-less message through "exists": false; real SNS does not
      // (https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html), so no filter policy may exist at all.
      const { Subscriptions = [] } = await alerting().sns.send(
        new ListSubscriptionsByTopicCommand({ TopicArn: deployment.outputs.topic_arn }),
      );
      const emails = Subscriptions.filter((s) => s.Protocol === "email");
      expect(emails.map((s) => s.Endpoint)).toEqual(["oncall@example.com"]);
      for (const s of emails) {
        const { Attributes = {} } = await alerting().sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }));
        expect(Attributes.FilterPolicy).toBeUndefined();
      }
    });

    it("metric and alarm: the alarm watches the metric CloudWatch extracts from the line the notifier wrote", async () => {
      const [directive] = emfLine._aws.CloudWatchMetrics;
      const dimensions = (directive.Dimensions[0] as string[]).map((d) => ({ Name: d, Value: String(emfLine[d]) }));
      const metric = directive.Metrics[0];
      // What CloudWatch Logs does with the line (the emulator does not extract embedded metrics).
      await alerting().cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: directive.Namespace,
          MetricData: [
            {
              MetricName: metric.Name,
              Unit: metric.Unit,
              Dimensions: dimensions,
              Value: emfLine[metric.Name],
              Timestamp: new Date(emfLine._aws.Timestamp),
            },
          ],
        }),
      );
      const { MetricAlarms = [] } = await alerting().cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [N.alarm] }));
      expect(MetricAlarms).toHaveLength(1);
      expect(MetricAlarms[0]).toMatchObject({
        Namespace: directive.Namespace,
        MetricName: metric.Name,
        Dimensions: dimensions,
        TreatMissingData: "breaching",
      });
      expect(MetricAlarms[0]!.AlarmActions).toEqual([deployment.outputs.topic_arn]);
    });
  });

  describe("npm run status", () => {
    it("reports the deployment healthy (exit 0), with the last heartbeat", () => {
      const { code: exit, out } = status();
      console.log(`\n── npm run status -- --application-name ${APP} (on moto) ──\n${out}`);
      expect(out).toContain(`${APP} at `);
      expect(out, out).toContain("HEALTHY");
      expect(exit, out).toBe(0);
      for (const area of ["Subscriptions", "Notifier", "Rules", "Trail", "Alarms", "Dead-letter queues", "Heartbeat"])
        expect(out).toContain(area);
      expect(out).toMatch(/ok .*last heartbeat +\d{4}-\d\d-\d\dT/);
      expect(out).toMatch(new RegExp(`ok .*${HOME_REGION} +${APP}-forwarding-dlq +0 messages`));
    });

    it("reports it unhealthy (exit 1) once a rule is disabled through the SDK, naming the rule", async () => {
      const rule = `${APP}-root-activity`;
      await alerting().events.send(new DisableRuleCommand({ Name: rule }));
      try {
        const { code: exit, out } = status();
        expect(exit, out).toBe(1);
        expect(out).toContain("UNHEALTHY: 1 problem");
        expect(out).toMatch(new RegExp(`FAIL +${ALERTING_REGION} +${rule} +DISABLED`));
      } finally {
        await alerting().events.send(new EnableRuleCommand({ Name: rule }));
      }
    });

    it("reports it unhealthy (exit 1) once the notifier is deleted", async () => {
      await alerting().lambda.send(new DeleteFunctionCommand({ FunctionName: N.function }));
      const { code: exit, out } = status();
      expect(exit, out).toBe(1);
      expect(out).toMatch(new RegExp(`FAIL +${ALERTING_REGION} +${N.function} +missing`));
    });
  });
}
