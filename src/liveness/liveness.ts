import type { Construct } from "constructs";
import { Fn, Op, type TerraformProvider, TerraformStack, Token } from "cdktf";
import { Composite } from "../shared/composite";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { LIVENESS_RULE_SUFFIXES, type DeploymentNaming } from "../config/naming";
import { CanaryRole } from "./canary-role";
import { DeliveryHealthAlarm } from "./delivery-health-alarm";
import { HeartbeatAlarm } from "./heartbeat-alarm";
import { heartbeatPattern } from "./heartbeat-pattern";
import { HeartbeatRule } from "./heartbeat-rule";
import { HeartbeatSchedule } from "./heartbeat-schedule";
import { HeartbeatTopic } from "./heartbeat-topic";
import { RegionalAlarms } from "./regional-alarms";

export interface LivenessProps {
  /** The us-east-1 provider: IAM's events, the rules, the notifier and the topics are there. */
  readonly provider: TerraformProvider;
  readonly naming: DeploymentNaming;
  /** `var.heartbeat_interval_minutes`: a whole number of minutes, or null for no heartbeat. */
  readonly heartbeatIntervalMinutes: number;
  /** `var.iam_events` (a Terraform list expression), to warn when it would alert on every heartbeat. */
  readonly iamEvents: string[];
  readonly notifierFunctionArn: string;
  readonly notifierFunctionName: string;
  readonly alertTopicArn: string;
  readonly alertKeyArn: string;
  /** The delivery dead-letter queue (EventRules), which admits the heartbeat and regional-alarms rules. */
  readonly deliveryDeadLetterQueueArn: string;
}

/**
 * Name suffixes of the liveness rules whose targets dead-letter to the
 * delivery queue (a Terraform list expression: no heartbeat rule when
 * `heartbeat_interval_minutes` is null).
 */
export function livenessRuleSuffixes(heartbeatIntervalMinutes: number): string[] {
  const off = Op.eq(heartbeatIntervalMinutes, Token.nullValue());
  return Token.asList(Fn.concat([[LIVENESS_RULE_SUFFIXES.regionalAlarms], Fn.conditional(off, [], [LIVENESS_RULE_SUFFIXES.heartbeat])]));
}

/**
 * Knowing when alerts stop flowing (issue 12): the heartbeat, end to end
 * (schedule, canary, rule, topic, alarm), the alarm on failed deliveries of
 * the alert topic, and the rule that emails the watched regions' alarms.
 *
 *   EventBridge Scheduler --iam:TagRole--> canary role
 *     -> CloudTrail (us-east-1) -> EventBridge -> heartbeat rule -> notifier
 *     -> heartbeat topic (accepted) -> metric CloudTrailAlerting/Heartbeats
 *     -> alarm (25 minutes without) -> alert topic -> recipients
 */
export class Liveness extends Composite {
  public readonly heartbeatRule: HeartbeatRule;
  public readonly regionalAlarms: RegionalAlarms;

  constructor(scope: Construct, id: string, props: LivenessProps) {
    super(scope, id);
    const { naming, provider } = props;
    const { statusCommand } = naming;
    const names = naming.heartbeat;
    const off = Op.eq(props.heartbeatIntervalMinutes, Token.nullValue());
    const count = Token.asNumber(Fn.conditional(off, 0, 1));

    // A user who lists TagRole in iam_events would get an email per heartbeat: say how to avoid it.
    TerraformStack.of(this).addOverride("check.heartbeat_not_in_iam_events.assert", [
      {
        condition: Op.or(off, Op.not(Fn.contains(props.iamEvents, "TagRole"))),
        error_message: `iam_events contains TagRole: the iam_events rule will also email every heartbeat (the schedule tags the canary role every heartbeat_interval_minutes). Add the heartbeat's scheduler role, arn:<partition>:iam::<account>:role/<application_name>-heartbeat-scheduler, to ignored_principal_arns: it silences the iam_events rule for that role, never the heartbeat.`,
      },
    ]);

    const canary = new CanaryRole(this, "heartbeat-canary", { provider, roleName: names.canaryRoleName, count });
    new HeartbeatSchedule(this, "heartbeat-schedule", {
      provider,
      names,
      accountId: naming.accountId,
      partition: naming.partition,
      intervalMinutes: props.heartbeatIntervalMinutes,
      count,
      dependsOn: [canary.role],
    });
    this.heartbeatRule = new HeartbeatRule(this, "heartbeat-rule", {
      provider,
      count,
      ruleName: names.ruleName,
      ruleArn: `${naming.ruleArnPrefix}${names.ruleName}`,
      pattern: heartbeatPattern({ canaryRoleName: names.canaryRoleName, schedulerRoleArn: names.schedulerRoleArn }),
      targetFunctionArn: props.notifierFunctionArn,
      targetFunctionName: props.notifierFunctionName,
      deadLetterQueueArn: props.deliveryDeadLetterQueueArn,
    });
    // The topic exists whether or not the heartbeat is on: the notifier's configuration does not change with the variable.
    new HeartbeatTopic(this, "heartbeat-topic", {
      provider,
      topicName: names.topicName,
      accountId: naming.accountId,
      partition: naming.partition,
      kmsKeyArn: props.alertKeyArn,
    });
    new HeartbeatAlarm(this, "heartbeat-alarm", {
      provider,
      count,
      alarmName: names.alarmName,
      functionName: props.notifierFunctionName,
      topicArn: props.alertTopicArn,
      statusCommand,
      redriveCommand: `npm run redrive -- --application-name ${naming.name}`,
    });

    new DeliveryHealthAlarm(this, "topic-delivery-alarm", {
      provider,
      alarmName: `${naming.name}-notifications-failed`,
      topicName: naming.topicName,
      topicArn: props.alertTopicArn,
      statusCommand,
    });
    this.regionalAlarms = new RegionalAlarms(this, "regional-alarms", {
      provider,
      ruleName: naming.regionalAlarmsRuleName,
      alarmName: naming.forwardingDlqAlarmName,
      topicArn: props.alertTopicArn,
      deadLetterQueueArn: props.deliveryDeadLetterQueueArn,
      statusCommand,
    });

    // Like every rule in us-east-1 (FailureAlarms): an alarm when a rule's target fails for good.
    const failedInvocations = (key: string, ruleName: string, target: string, ruleCount?: number): void => {
      new CloudwatchMetricAlarm(this, `${key}-failed-invocations`, {
        provider,
        count: ruleCount,
        alarmName: `${ruleName}-failed-invocations`,
        alarmDescription: `EventBridge rule ${ruleName} could not deliver to ${target} after its retries. The events are in the delivery dead-letter queue. Check with ${statusCommand}, then: npm run redrive -- --application-name ${naming.name}`,
        namespace: "AWS/Events",
        metricName: "FailedInvocations",
        dimensions: { RuleName: ruleName },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmActions: [props.alertTopicArn],
        okActions: [props.alertTopicArn],
      });
    };
    failedInvocations("heartbeat-rule", names.ruleName, "the notifier", count);
    failedInvocations("regional-alarms", naming.regionalAlarmsRuleName, "the alert topic");
  }
}
