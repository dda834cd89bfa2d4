import { Construct } from "constructs";
import { ITerraformResource, TerraformIterator, TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

export interface DeadLetterQueueAlarm {
  /** Construct id and alarm name suffix, e.g. "delivery-dlq". */
  readonly key: string;
  readonly queueName: string;
  /** What landed there, in plain words. */
  readonly meaning: string;
}

export interface FailureAlarmsProps {
  /**
   * Provider (region) of the alarms: the region of the metrics they watch.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /** Alarm names are `<namePrefix>-<what>`. */
  readonly namePrefix: string;
  /** Alarms publish straight to the alert topic, not through the function they watch. */
  readonly topicArn: string;
  readonly functionName: string;
  /** Rules to watch, each with a stable key for its alarm's address. */
  readonly rules: { readonly key: string; readonly name: string }[];
  /**
   * Rules created with `for_each` (the presets): one alarm per instance, with
   * the same keys, through an iterator over the resource.
   * @default - none
   */
  readonly ruleSets?: { readonly key: string; readonly rules: ITerraformResource }[];
  readonly deadLetterQueues: DeadLetterQueueAlarm[];
}

/**
 * "Nothing is lost" only holds if someone hears about what failed. CloudWatch
 * alarms on every failure path publish to the alert topic directly:
 * dead-letter queue depth, the function's errors and throttles, and the
 * rules' failed invocations. Each alarm's description (which CloudWatch puts
 * in the notification) says what failed and how to replay the events.
 */
export class FailureAlarms extends Construct {
  public readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: FailureAlarmsProps) {
    super(scope, id);

    const notify = { alarmActions: [props.topicArn], okActions: [props.topicArn] };
    const common = {
      provider: props.provider,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      period: 300,
      treatMissingData: "notBreaching",
      ...notify,
    };
    const replay = `Replay: npm run redrive -- --application-name ${props.namePrefix}`;

    for (const queue of props.deadLetterQueues) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, queue.key, {
          ...common,
          alarmName: `${props.namePrefix}-${queue.key}-not-empty`,
          alarmDescription: `${queue.meaning} They are kept in SQS queue ${queue.queueName} (us-east-1) for 14 days. Find the cause in the notifier's logs (/aws/lambda/${props.functionName}), fix it, then: ${replay} --queue ${queue.queueName}`,
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: queue.queueName },
          statistic: "Maximum",
        }),
      );
    }

    this.alarms.push(
      new CloudwatchMetricAlarm(this, "function-errors", {
        ...common,
        alarmName: `${props.namePrefix}-notifier-errors`,
        alarmDescription: `The notifier function ${props.functionName} failed (for example SNS publish errors). Lambda retries twice; events that still fail go to the notifier dead-letter queue, whose own alarm fires. See /aws/lambda/${props.functionName}. ${replay}`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: props.functionName },
        statistic: "Sum",
      }),
      new CloudwatchMetricAlarm(this, "function-throttles", {
        ...common,
        alarmName: `${props.namePrefix}-notifier-throttles`,
        alarmDescription: `The notifier function ${props.functionName} was throttled: alerts are delayed (EventBridge keeps retrying for 24 hours). Raise notifier_reserved_concurrency if this repeats. Undelivered events land in the delivery dead-letter queue. ${replay}`,
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: props.functionName },
        statistic: "Sum",
      }),
    );

    const failedInvocations = (key: string, ruleName: string, forEach?: TerraformIterator): CloudwatchMetricAlarm =>
      new CloudwatchMetricAlarm(this, `${key}-failed-invocations`, {
        ...common,
        forEach,
        alarmName: `${ruleName}-failed-invocations`,
        alarmDescription: `EventBridge rule ${ruleName} could not invoke the notifier after its retries. The events are in the delivery dead-letter queue. Check the function's resource policy and state, then: ${replay}`,
        namespace: "AWS/Events",
        metricName: "FailedInvocations",
        dimensions: { RuleName: ruleName },
        statistic: "Sum",
      });
    for (const { key, name: ruleName } of props.rules) this.alarms.push(failedInvocations(key, ruleName));
    for (const { key, rules } of props.ruleSets ?? []) {
      const each = TerraformIterator.fromResources(rules);
      this.alarms.push(failedInvocations(key, each.getString("name"), each));
    }
  }
}
