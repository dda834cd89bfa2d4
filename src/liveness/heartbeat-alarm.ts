import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { HEARTBEAT_CONTRACT } from "./heartbeat-contract";
import { HEARTBEAT_ALARM } from "./heartbeat-timing";

export interface HeartbeatAlarmProps {
  /** The us-east-1 provider: the notifier's logs, hence its metric, are there. */
  readonly provider: TerraformProvider;
  readonly alarmName: string;
  /** The notifier's name: the metric's dimension value. */
  readonly functionName: string;
  /** The alert topic: the alarm emails the recipients directly, not through the notifier it watches. */
  readonly topicArn: string;
  readonly statusCommand: string;
  /** How to replay what the notifier missed meanwhile. */
  readonly redriveCommand: string;
  /** 0 or 1, a Terraform expression. */
  readonly count: number;
}

/**
 * The alarm at the end of the heartbeat: heartbeats counted per minute, a
 * minute without one counts as breaching (so a metric that stops altogether
 * fires it), 25 such minutes in a row fire it. Timing and its reasons:
 * `./heartbeat-timing.ts`. Namespace, metric and dimension are the ones the
 * notifier writes (`./heartbeat-contract.ts`).
 */
export class HeartbeatAlarm extends Construct {
  public readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: HeartbeatAlarmProps) {
    super(scope, id);
    const minutes = HEARTBEAT_ALARM.windowMinutes;
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      provider: props.provider,
      count: props.count,
      alarmName: props.alarmName,
      alarmDescription: [
        `No heartbeat for ${minutes} minutes: alerts may not be reaching you.`,
        "The heartbeat is an IAM call EventBridge Scheduler makes every few minutes; CloudTrail records it, a rule in us-east-1 hands it to the notifier, which publishes it and counts it.",
        `Something on that path stopped. Find what: ${props.statusCommand} (the trail logging? a rule disabled? the notifier deleted or failing? its key?).`,
        `Then check the notifier's logs (/aws/lambda/${props.functionName}) and CloudTrail for calls that changed the deployment.`,
        `Once fixed, replay what failed meanwhile (kept in the dead-letter queues): ${props.redriveCommand}`,
      ].join(" "),
      namespace: HEARTBEAT_CONTRACT.namespace,
      metricName: HEARTBEAT_CONTRACT.metricName,
      dimensions: { [HEARTBEAT_CONTRACT.dimensionName]: props.functionName },
      statistic: "Sum",
      period: HEARTBEAT_ALARM.periodSeconds,
      evaluationPeriods: minutes,
      datapointsToAlarm: minutes,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
  }
}
