import { Construct } from "constructs";
import { Fn, ITerraformDependable, TerraformProvider, Token } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DeadLetterQueue } from "../delivery/dead-letter-queue";

/** detail-type of the events CloudWatch sends when an alarm changes state: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html */
export const ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

export interface EventForwardingProps {
  /**
   * Provider of the watched region.
   * @default - the stack's default provider (the home region)
   */
  readonly provider?: TerraformProvider;
  /** The watched region's name (or an expression for it): ARNs of the queue and rules are built from it. */
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly ruleName: string;
  /** The forwarding pattern (JSON): coarse, covering every regional preset part (see `forwardingPattern`). */
  readonly eventPattern: string;
  /** 0 or 1, a Terraform expression: forward only when a regional preset is enabled (and, for the home region, when it is not the alerting region). */
  readonly count: number;
  /** The alerting region's default event bus. */
  readonly targetBusArn: string;
  /** Role EventBridge assumes to put events on that bus. */
  readonly roleArn: string;
  /** What the target needs first (the role). */
  readonly dependsOn?: ITerraformDependable[];
  /** Queue, in the watched region, for the events the target could not deliver after its retries. */
  readonly deadLetterQueueName: string;
  /** Alarm, in the watched region, on that queue's depth. */
  readonly alarmName: string;
  /** Rule, in the watched region, that sends the alarm's state changes to the alerting region's bus. */
  readonly alarmRuleName: string;
  /** A role of its own for that rule, so that a broken forwarding role does not also silence the alarm about it. */
  readonly alarmRoleArn: string;
  readonly alarmDependsOn?: ITerraformDependable[];
  /** How to replay and inspect, for the alarm's description. */
  readonly statusCommand: string;
  /** @default 86400 */
  readonly maxEventAgeSeconds?: number;
  /** @default 185 */
  readonly maxRetryAttempts?: number;
}

/**
 * The forwarding rule of one watched region: regional CloudTrail events
 * the presets may need, sent to the alerting region's default bus, where the
 * preset rules match them precisely. Forwarded events keep their `region`.
 * A single rule, so each event is forwarded at most once.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 *
 * Nothing is dropped silently: what the target cannot deliver after 24 hours
 * of retries goes to a dead-letter queue in the region (encrypted, TLS-only,
 * writable only by these two rules), and an alarm watches its depth. Alarm
 * actions can only reach resources of the alarm's own region, so the alarm
 * notifies nobody directly: CloudWatch sends every alarm state change to
 * EventBridge in that region, and a second rule forwards this alarm's changes
 * to the alerting region, where a rule publishes them to the alert topic
 * (`src/liveness/regional-alarms.ts`). That rule uses a role of its own.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 */
export class EventForwarding extends Construct {
  public readonly rule: CloudwatchEventRule;
  public readonly deadLetterQueue: DeadLetterQueue;
  public readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: EventForwardingProps) {
    super(scope, id);
    const ruleArn = (name: string): string => `arn:${props.partition}:events:${props.region}:${props.accountId}:rule/${name}`;
    const retryPolicy = {
      maximumEventAgeInSeconds: props.maxEventAgeSeconds ?? 86_400,
      maximumRetryAttempts: props.maxRetryAttempts ?? 185,
    };

    this.rule = new CloudwatchEventRule(this, "rule", {
      provider: props.provider,
      count: props.count,
      name: props.ruleName,
      description: "Forwards regional CloudTrail events the alert presets watch to the alerting region (us-east-1)",
      eventPattern: props.eventPattern,
    });
    this.deadLetterQueue = new DeadLetterQueue(this, "dlq", {
      provider: props.provider,
      count: props.count,
      queueName: props.deadLetterQueueName,
      queueArn: `arn:${props.partition}:sqs:${props.region}:${props.accountId}:${props.deadLetterQueueName}`,
      eventRuleArns: [ruleArn(props.ruleName), ruleArn(props.alarmRuleName)],
    });
    new CloudwatchEventTarget(this, "target", {
      provider: props.provider,
      count: props.count,
      rule: props.ruleName,
      targetId: "alerting-region-bus",
      arn: props.targetBusArn,
      roleArn: props.roleArn,
      retryPolicy,
      deadLetterConfig: { arn: this.deadLetterQueue.arn },
      dependsOn: [this.rule, this.deadLetterQueue.queue, ...(props.dependsOn ?? [])],
    });

    this.alarm = new CloudwatchMetricAlarm(this, "dlq-alarm", {
      provider: props.provider,
      count: props.count,
      alarmName: props.alarmName,
      alarmDescription: `Events forwarded from this region to us-east-1 could not be delivered after 24 hours of retries: the regional alerts among them (root activity, console sign-ins, changes to the trail, buckets and keys) were NOT evaluated. They are kept 14 days in SQS queue ${props.deadLetterQueueName} in this region; read them there. Check the forwarding role and us-east-1's default bus: ${props.statusCommand}`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: props.deadLetterQueueName },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
    });
    const alarmRule = new CloudwatchEventRule(this, "alarm-rule", {
      provider: props.provider,
      count: props.count,
      name: props.alarmRuleName,
      description: "Sends the forwarding dead-letter queue alarm's state changes to the alerting region (us-east-1), which emails them",
      eventPattern: Token.asString(
        Fn.jsonencode({ source: ["aws.cloudwatch"], "detail-type": [ALARM_STATE_CHANGE], detail: { alarmName: [props.alarmName] } }),
      ),
    });
    new CloudwatchEventTarget(this, "alarm-target", {
      provider: props.provider,
      count: props.count,
      rule: props.alarmRuleName,
      targetId: "alerting-region-bus",
      arn: props.targetBusArn,
      roleArn: props.alarmRoleArn,
      retryPolicy,
      deadLetterConfig: { arn: this.deadLetterQueue.arn },
      dependsOn: [alarmRule, this.deadLetterQueue.queue, ...(props.alarmDependsOn ?? [])],
    });
  }
}
