import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

export interface DeliveryHealthAlarmProps {
  readonly provider: TerraformProvider;
  readonly alarmName: string;
  readonly topicName: string;
  readonly topicArn: string;
  readonly statusCommand: string;
}

/**
 * SNS could not deliver to a subscriber (`NumberOfNotificationsFailed` of the
 * alert topic): an address that bounces, an endpoint that refuses. The
 * alarm's own email goes through the same topic, so it reaches whoever can
 * still receive; subscriptions never confirmed deliver nothing and fail
 * nothing, which is why `npm run status` lists them and the plan warns when
 * `sns_endpoint` is empty.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html
 */
export class DeliveryHealthAlarm extends Construct {
  public readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: DeliveryHealthAlarmProps) {
    super(scope, id);
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      provider: props.provider,
      alarmName: props.alarmName,
      alarmDescription: `SNS could not deliver alerts from ${props.topicName} to at least one subscriber (after its retries). Check each subscription: ${props.statusCommand}; the topic's delivery status logs say why (a bounced address, a deleted endpoint).`,
      namespace: "AWS/SNS",
      metricName: "NumberOfNotificationsFailed",
      dimensions: { TopicName: props.topicName },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
  }
}
