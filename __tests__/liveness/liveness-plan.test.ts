/**
 * The liveness concern (issue 12) in the real plan (`terraform plan` on moto,
 * `terraform show -json`): the heartbeat's schedule, canary role, scheduler
 * role, rule, topic and alarm, the alarm on failed deliveries, and the
 * forwarding dead-letter queue with its alarm and route in the home region.
 * Explicit watched regions are synth-time settings: their resources are
 * checked on the in-memory synth at the end.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PublishCommandOutput } from "@aws-sdk/client-sns";
import { createHandler } from "../../handler/src/handler";
import { createLogger } from "../../handler/src/logger";
import { PRESET_NAMES } from "../../src/detection";
import { heartbeatPattern } from "../../src/liveness/heartbeat-pattern";
import { regionalAlarmsPattern } from "../../src/liveness/regional-alarms";
import { HEARTBEAT_ALARM } from "../../src/liveness/heartbeat-timing";
import { GLOBAL_PRESETS_AND_LIVENESS_EDGES, OVERRIDES, planRunShared, planShared, SEED_WITHOUT_PRESETS_OR_HEARTBEAT } from "../support/plan-configurations";
import { planOf, planRunOf, planVariables } from "../support/shared";
import { type PlanJson, planned, plannedOne } from "../support/terraform";
import { PROJECT_ROOT, resourcesOf, synthStack, type Json } from "../support/synth";

const HOME = "eu-west-1";
const ACCOUNT = "123456789012"; // moto's default account
const APP = "cloudtrail-alerting";
const N = {
  canary: `${APP}-heartbeat-canary`,
  schedulerRole: `${APP}-heartbeat-scheduler`,
  group: `${APP}-liveness`,
  schedule: `${APP}-heartbeat`,
  rule: `${APP}-heartbeat`,
  topic: `${APP}-heartbeat`,
  alarm: `${APP}-heartbeat-missing`,
  notifier: `${APP}-notifier`,
  alertTopic: `${APP}-alerts`,
};
const iamArn = (role: string): string => `arn:aws:iam::${ACCOUNT}:role/${role}`;
const ruleArn = (region: string, name: string): string => `arn:aws:events:${region}:${ACCOUNT}:rule/${name}`;

let plan: PlanJson;

/** The JSON a data.aws_iam_policy_document rendered during plan (its inputs were known). */
const renderedPolicy = (p: PlanJson, address: string): Json => {
  const read = (p.prior_state?.values?.root_module?.resources ?? []).find((r: PlanJson) => r.address === address);
  if (read === undefined) throw new Error(`${address} was not read during plan`);
  return JSON.parse(read.values.json);
};
const configuration = (p: PlanJson, address: string): Json => {
  const found = (p.configuration.root_module.resources as PlanJson[]).find((r) => r.address === address);
  if (found === undefined) throw new Error(`${address} is not in the configuration`);
  return found;
};
const addresses = (p: PlanJson): string[] => (p.planned_values.root_module.resources as PlanJson[]).map((r) => r.address);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

beforeAll(async () => {
  plan = await planOf(undefined, { region: HOME });
});

describe("the heartbeat schedule (EventBridge Scheduler, us-east-1)", () => {
  it("tags the canary role every 10 minutes through the universal target iam:tagRole, with the scheduler role", () => {
    const schedule = plannedOne(plan, "aws_scheduler_schedule.heartbeat_schedule_schedule[0]");
    expect(schedule).toMatchObject({
      name: N.schedule,
      group_name: N.group,
      schedule_expression: "rate(10 minutes)",
      flexible_time_window: [{ mode: "OFF" }],
      state: "ENABLED",
    });
    const [target] = schedule.target;
    expect(target.arn).toBe("arn:aws:scheduler:::aws-sdk:iam:tagRole");
    expect(target.role_arn).toBe(iamArn(N.schedulerRole));
    expect(JSON.parse(target.input)).toEqual({ RoleName: N.canary, Tags: [{ Key: "heartbeat", Value: "eventbridge-scheduler" }] });
    expect(plannedOne(plan, "aws_scheduler_schedule_group.heartbeat_schedule_group[0]").name).toBe(N.group);
  });

  it("follows heartbeat_interval_minutes (rate() takes the singular for 1)", async () => {
    const [one, five] = await Promise.all([planShared(OVERRIDES), planShared(GLOBAL_PRESETS_AND_LIVENESS_EDGES)]);
    expect(plannedOne(one, "aws_scheduler_schedule.heartbeat_schedule_schedule[0]").schedule_expression).toBe("rate(1 minute)");
    expect(plannedOne(five, "aws_scheduler_schedule.heartbeat_schedule_schedule[0]").schedule_expression).toBe("rate(5 minutes)");
  });

  it("null turns the heartbeat off: no schedule, roles, rule or alarm; the notifier's configuration stays", async () => {
    const off = await planShared(SEED_WITHOUT_PRESETS_OR_HEARTBEAT);
    const gone = addresses(off).filter((a) => /heartbeat_(schedule|canary|rule|alarm)/.test(a));
    expect(gone).toEqual([]);
    expect(addresses(off)).toContain("aws_sns_topic.heartbeat_topic_topic");
    expect(plannedOne(off, "aws_lambda_function.notifier_function").environment).toEqual(
      plannedOne(plan, "aws_lambda_function.notifier_function").environment,
    );
  });

  it("refuses intervals outside 1..12 or not whole, naming the variable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cta-heartbeat-vars-"));
    for (const value of [0, 13, 2.5]) {
      const file = join(dir, `${value}.tfvars.json`);
      writeFileSync(file, JSON.stringify({ heartbeat_interval_minutes: value }));
      const refused = await planVariables(file);
      expect(refused.code, String(value)).not.toBe(0);
      expect(refused.stderr.replace(/\s+/g, " "), String(value)).toContain("heartbeat_interval_minutes must be null (no heartbeat) or a whole number from 1 to 12");
    }
  });
});

describe("the canary role", () => {
  it("can be assumed by nobody: its trust policy allows no one and denies every principal every way in", () => {
    const trust = JSON.parse(plannedOne(plan, "aws_iam_role.heartbeat_canary_role[0]").assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Sid: "NobodyAssumesTheCanary",
        Effect: "Deny",
        Principal: "*",
        Action: expect.arrayContaining(["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]),
      },
    ]);
  });

  it("can do nothing: no inline or managed policy is attached to it", () => {
    const onCanary = (type: string): PlanJson[] =>
      planned(plan, type).filter((r) => r.values.role === N.canary || asList(r.values.roles ?? []).includes(N.canary));
    expect(onCanary("aws_iam_role_policy")).toEqual([]);
    expect(onCanary("aws_iam_role_policy_attachment")).toEqual([]);
    expect(onCanary("aws_iam_policy_attachment")).toEqual([]);
    expect(plannedOne(plan, "aws_iam_role.heartbeat_canary_role[0]").managed_policy_arns ?? []).toEqual([]);
  });

  it("carries the tag the schedule writes, so the schedule's calls never drift from Terraform", () => {
    expect(plannedOne(plan, "aws_iam_role.heartbeat_canary_role[0]").tags).toEqual({ heartbeat: "eventbridge-scheduler" });
  });
});

describe("the scheduler role", () => {
  it("is assumable only by EventBridge Scheduler for this account's liveness schedule group", () => {
    const trust = JSON.parse(plannedOne(plan, "aws_iam_role.heartbeat_schedule_role[0]").assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnEquals: { "aws:SourceArn": `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/${N.group}` },
        },
      },
    ]);
  });

  it("may only tag the canary role, and only with the heartbeat's tag key", () => {
    const policies = planned(plan, "aws_iam_role_policy").filter((r) => r.values.role === N.schedulerRole);
    expect(policies).toHaveLength(1);
    expect(JSON.parse(policies[0]!.values.policy).Statement).toEqual([
      {
        Sid: "TagTheCanaryOnly",
        Effect: "Allow",
        Action: "iam:TagRole",
        Resource: iamArn(N.canary),
        Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": "heartbeat" } },
      },
    ]);
  });
});

describe("the heartbeat rule (us-east-1)", () => {
  const expected = heartbeatPattern({ canaryRoleName: N.canary, schedulerRoleArn: iamArn(N.schedulerRole) });

  it("matches exactly the schedule's TagRole call on the canary role by the scheduler role's sessions, when it succeeded", () => {
    const rule = plannedOne(plan, "aws_cloudwatch_event_rule.heartbeat_rule_rule[0]");
    expect(rule.name).toBe(N.rule);
    expect(JSON.parse(rule.event_pattern)).toEqual(expected);
  });

  it("is never subject to ignored_principal_arns, even when they list the scheduler role", async () => {
    const ignoring = await planShared(GLOBAL_PRESETS_AND_LIVENESS_EDGES);
    expect(GLOBAL_PRESETS_AND_LIVENESS_EDGES.vars.ignored_principal_arns).toEqual([iamArn(N.schedulerRole)]);
    expect(JSON.parse(plannedOne(ignoring, "aws_cloudwatch_event_rule.heartbeat_rule_rule[0]").event_pattern)).toEqual(expected);
    // ...while the iam_events rule is (that is how a user who lists TagRole silences it for the heartbeat).
    expect(plannedOne(ignoring, "aws_cloudwatch_event_rule.event_rules_iam_events").event_pattern).toContain(iamArn(N.schedulerRole));
  });

  it("hands the event to the notifier labelled preset 'heartbeat', with the delivery dead-letter queue behind it", () => {
    const target = plannedOne(plan, "aws_cloudwatch_event_target.heartbeat_rule_target[0]");
    expect(target.rule).toBe(N.rule);
    expect(target.input_transformer).toEqual([
      { input_paths: null, input_template: '{"preset":"heartbeat","event":<aws.events.event.json>}' },
    ]);
    const config = configuration(plan, "aws_cloudwatch_event_target.heartbeat_rule_target");
    expect(config.expressions.arn.references).toContain("aws_lambda_function.notifier_function.arn");
    expect(config.expressions.dead_letter_config[0].arn.references).toContain("aws_sqs_queue.event_rules_delivery_dlq_queue.arn");
    expect(plannedOne(plan, "aws_lambda_permission.heartbeat_rule_permission[0]")).toMatchObject({
      principal: "events.amazonaws.com",
      source_arn: ruleArn("us-east-1", N.rule),
      statement_id: "AllowInvokeFrom-heartbeat",
    });
  });

  it("the delivery dead-letter queue admits it (while the heartbeat is on) and the regional-alarms rule", () => {
    // The queue's policy references the queue, so it is rendered only at apply; the expression is in the synth (the e2e run checks the applied policy).
    const allow = synthStack().data.aws_iam_policy_document.event_rules_delivery_dlq_policy_document.statement.find(
      (s: Json) => s.sid === "AllowEventBridgeDeadLetters",
    );
    expect(allow.condition[0].values).toContain(
      'concat(local.event_rules_rule_name_suffixes, concat(["regional-alarms"], (var.heartbeat_interval_minutes == null) ? [] : ["heartbeat"]))',
    );
  });

  it("warns at plan time when iam_events lists TagRole (that rule would email every heartbeat)", async () => {
    const { output } = await planRunShared(GLOBAL_PRESETS_AND_LIVENESS_EDGES);
    expect(GLOBAL_PRESETS_AND_LIVENESS_EDGES.vars.iam_events).toContain("TagRole");
    expect(output).toContain("iam_events contains TagRole");
    expect((await planRunOf(undefined, { region: HOME })).output).not.toContain("iam_events contains TagRole");
  });
});

describe("heartbeats never reach a person", () => {
  it("the email subscriptions carry no filter policy: alarms publish without attributes, and SNS filters those out of any policy", async () => {
    const withRecipients = await planShared(GLOBAL_PRESETS_AND_LIVENESS_EDGES);
    expect(GLOBAL_PRESETS_AND_LIVENESS_EDGES.vars.sns_endpoint).toHaveLength(2);
    const subscriptions = planned(withRecipients, "aws_sns_topic_subscription");
    expect(subscriptions.map((s) => s.values.protocol)).toEqual(["email", "email"]);
    for (const s of subscriptions) expect(s.values.filter_policy ?? null).toBeNull();
  });

  it("heartbeats go to a topic of their own, encrypted with the alert key, that nothing in the stack subscribes to", () => {
    expect(plannedOne(plan, "aws_sns_topic.heartbeat_topic_topic").name).toBe(N.topic);
    expect(configuration(plan, "aws_sns_topic.heartbeat_topic_topic").expressions.kms_master_key_id.references).toContain(
      "aws_kms_key.alert_key_key.arn",
    );
    const subscribed = (plan.configuration.root_module.resources as PlanJson[])
      .filter((r) => r.type === "aws_sns_topic_subscription")
      .map((r) => r.expressions.topic_arn.references);
    expect(subscribed.flat()).not.toContain("aws_sns_topic.heartbeat_topic_topic.arn");
  });

  it("the notifier knows both topics and may publish to both", () => {
    // Known only at apply (the alert topic's ARN is in the same map): read from the synth; the e2e run reads the deployed value.
    // A merge with the chat and structured-alert topics, which exist only when configured (see alerting-stack.test.ts).
    const variables: string = resourcesOf(synthStack(), "aws_lambda_function").notifier_function.environment.variables;
    expect(variables).toContain('"TOPIC_ARN" = aws_sns_topic.alert_topic_topic.arn');
    expect(variables).toContain(
      '"HEARTBEAT_TOPIC_ARN" = "arn:${data.aws_partition.partition.partition}:sns:us-east-1:${data.aws_caller_identity.account.account_id}:${var.application_name}-heartbeat"',
    );
    const statements = configuration(plan, "data.aws_iam_policy_document.notifier_permissions").expressions.statement as Json[];
    const publish = statements.find((s) => s.sid.constant_value === "PublishAlerts");
    expect(publish.resources.references).toContain("aws_sns_topic.alert_topic_topic.arn");
    expect(JSON.stringify(publish.resources)).toContain("-heartbeat");
  });
});

describe("the heartbeat alarm watches exactly what the notifier emits", () => {
  /** The line the notifier writes for a heartbeat, from the glue itself, in the function the plan deploys. */
  const emitted = async (functionName: string): Promise<Json> => {
    const lines: string[] = [];
    const handler = createHandler({
      sns: { send: async () => ({ MessageId: "m", $metadata: {} }) as PublishCommandOutput },
      topicArn: "arn:aws:sns:us-east-1:123456789012:alerts",
      logger: createLogger({ service: "test", write: () => undefined }),
      heartbeat: { topicArn: "arn:aws:sns:us-east-1:123456789012:heartbeat", functionName, writeMetric: (l) => lines.push(l) },
    });
    const record = JSON.parse(readFileSync(join(PROJECT_ROOT, "__tests__/fixtures/synthetic/iam-TagRole-heartbeat.json"), "utf8"));
    await handler({ preset: "heartbeat", event: { "detail-type": "AWS API Call via CloudTrail", source: "aws.iam", detail: record } });
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0]!);
  };

  it("namespace, metric name and dimensions are the ones in the notifier's embedded-metric-format line", async () => {
    // AWS_LAMBDA_FUNCTION_NAME, which the notifier reads at run time, is the function's name.
    const functionName = plannedOne(plan, "aws_lambda_function.notifier_function").function_name;
    const line = await emitted(functionName);
    const [directive] = line._aws.CloudWatchMetrics;
    const alarm = plannedOne(plan, "aws_cloudwatch_metric_alarm.heartbeat_alarm_alarm[0]");
    expect(alarm.namespace).toBe(directive.Namespace);
    expect(alarm.metric_name).toBe(directive.Metrics[0].Name);
    expect(alarm.dimensions).toEqual(Object.fromEntries((directive.Dimensions[0] as string[]).map((d) => [d, line[d]])));
  });

  it("treats missing minutes as breaching and fires after 25 minutes without a heartbeat", () => {
    const alarm = plannedOne(plan, "aws_cloudwatch_metric_alarm.heartbeat_alarm_alarm[0]");
    expect(alarm).toMatchObject({
      alarm_name: N.alarm,
      statistic: "Sum",
      period: 60,
      evaluation_periods: HEARTBEAT_ALARM.windowMinutes,
      datapoints_to_alarm: HEARTBEAT_ALARM.windowMinutes,
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
    });
    expect(HEARTBEAT_ALARM.windowMinutes).toBe(25);
  });

  it("emails the recipients directly through the alert topic, on ALARM and back to OK", () => {
    const config = configuration(plan, "aws_cloudwatch_metric_alarm.heartbeat_alarm_alarm");
    expect(config.expressions.alarm_actions.references).toContain("aws_sns_topic.alert_topic_topic.arn");
    expect(config.expressions.ok_actions.references).toContain("aws_sns_topic.alert_topic_topic.arn");
  });
});

describe("delivery health", () => {
  it("an alarm fires when SNS fails to deliver any notification of the alert topic", () => {
    const alarm = plannedOne(plan, "aws_cloudwatch_metric_alarm.topic_delivery_alarm_alarm");
    expect(alarm).toMatchObject({
      namespace: "AWS/SNS",
      metric_name: "NumberOfNotificationsFailed",
      dimensions: { TopicName: N.alertTopic },
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
    });
    expect(configuration(plan, "aws_cloudwatch_metric_alarm.topic_delivery_alarm_alarm").expressions.alarm_actions.references).toContain(
      "aws_sns_topic.alert_topic_topic.arn",
    );
  });

  it("the plan still warns when sns_endpoint is empty", async () => {
    expect((await planRunOf(undefined, { region: HOME })).output).toContain("sns_endpoint is empty");
  });
});

describe("forwarding never drops silently (the home region, eu-west-1)", () => {
  const dlq = `${APP}-forwarding-dlq`;

  it("the forwarding target dead-letters to an encrypted queue in the home region", () => {
    expect(plannedOne(plan, "aws_sqs_queue.forwarding_home_dlq_queue[0]")).toMatchObject({ name: dlq, sqs_managed_sse_enabled: true });
    expect(plannedOne(plan, "aws_cloudwatch_event_target.forwarding_home_target[0]").dead_letter_config).toEqual([
      { arn: `arn:aws:sqs:${HOME}:${ACCOUNT}:${dlq}` },
    ]);
  });

  it("the queue admits only the region's two forwarding rules, over TLS", () => {
    const policy = renderedPolicy(plan, "data.aws_iam_policy_document.forwarding_home_dlq_policy_document");
    const allow = policy.Statement.find((s: Json) => s.Sid === "AllowEventBridgeDeadLetters");
    expect(allow.Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(asList(allow.Condition.ArnEquals["aws:SourceArn"]).sort()).toEqual(
      [ruleArn(HOME, `${APP}-forward-to-alerting-region`), ruleArn(HOME, `${APP}-forward-alarms-to-alerting-region`)].sort(),
    );
    expect(policy.Statement.find((s: Json) => s.Sid === "DenyInsecureTransport").Condition).toEqual({
      Bool: { "aws:SecureTransport": "false" },
    });
  });

  it("an alarm in that region watches the queue, and a rule there sends its state changes to us-east-1's bus with a role of its own", () => {
    expect(plannedOne(plan, "aws_cloudwatch_metric_alarm.forwarding_home_dlq_alarm[0]")).toMatchObject({
      alarm_name: `${dlq}-not-empty`,
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: dlq },
      threshold: 0,
    });
    expect(JSON.parse(plannedOne(plan, "aws_cloudwatch_event_rule.forwarding_home_alarm_rule[0]").event_pattern)).toEqual({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      detail: { alarmName: [`${dlq}-not-empty`] },
    });
    expect(plannedOne(plan, "aws_cloudwatch_event_target.forwarding_home_alarm_target[0]")).toMatchObject({
      arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`,
      role_arn: iamArn(`${APP}-alarm-forwarding`),
      dead_letter_config: [{ arn: `arn:aws:sqs:${HOME}:${ACCOUNT}:${dlq}` }],
    });
    expect(plannedOne(plan, "aws_iam_role.alarm_forwarding_role_role[0]").name).toBe(`${APP}-alarm-forwarding`);
  });

  it("in us-east-1 a rule publishes those state changes to the alert topic, which (and whose key) admit that rule only", () => {
    const rule = plannedOne(plan, "aws_cloudwatch_event_rule.regional_alarms_rule");
    expect(JSON.parse(rule.event_pattern)).toEqual(regionalAlarmsPattern(`${dlq}-not-empty`));
    expect(configuration(plan, "aws_cloudwatch_event_target.regional_alarms_target").expressions.arn.references).toContain(
      "aws_sns_topic.alert_topic_topic.arn",
    );
    const key = JSON.parse(plannedOne(plan, "aws_kms_key.alert_key_key").policy);
    expect(key.Statement.find((s: Json) => s.Sid === "EventBridgeRulesPublishEncrypted")).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Condition: {
        ArnEquals: { "aws:SourceArn": ruleArn("us-east-1", `${APP}-regional-alarms`) },
        StringEquals: { "aws:SourceAccount": ACCOUNT },
      },
    });
    const topicStatements = configuration(plan, "data.aws_iam_policy_document.alert_topic_policy_document").expressions.statement as Json[];
    expect(topicStatements.map((s) => s.sid.constant_value)).toContain("AllowThisDeploymentsRules");
  });

  it("nothing is forwarded, so no queue or alarm, when the home region is us-east-1", async () => {
    // The configuration presets-plan plans in us-east-1 (every preset, so regional ones too).
    const east = await planOf({ alert_presets: PRESET_NAMES }, { region: "us-east-1" });
    expect(addresses(east).filter((a) => a.includes("forwarding_home"))).toEqual([]);
  });
});

describe("forwarding never drops silently (explicit watched regions, synth)", () => {
  const synth = synthStack({ homeRegion: "eu-west-1", watchRegions: ["eu-west-1", "ap-southeast-2", "us-east-1"] });

  it("each watched region other than us-east-1 gets its queue, policy, alarm and alarm route, on its own provider", () => {
    for (const region of ["eu-west-1", "ap-southeast-2"]) {
      const provider = `aws.watch_${region.replace(/-/g, "_")}`;
      const id = `forwarding_${region.replace(/-/g, "_")}`;
      expect(resourcesOf(synth, "aws_sqs_queue")[`${id}_dlq_queue`].provider).toBe(provider);
      expect(resourcesOf(synth, "aws_sqs_queue_policy")[`${id}_dlq_policy`].provider).toBe(provider);
      expect(resourcesOf(synth, "aws_cloudwatch_metric_alarm")[`${id}_dlq_alarm`].provider).toBe(provider);
      expect(resourcesOf(synth, "aws_cloudwatch_event_rule")[`${id}_alarm_rule`].provider).toBe(provider);
      expect(resourcesOf(synth, "aws_cloudwatch_event_target")[`${id}_target`].dead_letter_config.arn).toContain(`:sqs:${region}:`);
    }
    expect(Object.keys(resourcesOf(synth, "aws_sqs_queue")).filter((id) => id.includes("us_east_1"))).toEqual([]);
  });
});
