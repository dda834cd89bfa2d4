import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { expr } from "../shared/expressions";
import { allowPublishFromThisAccount, denyInsecureTransport } from "../security/policy-statements";

export interface DestinationTopicProps {
  /**
   * Provider (region) to create everything in.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  readonly topicName: string;
  /** 1 when the destination is configured, else 0: a Terraform number expression. */
  readonly count: number;
  /**
   * The alert key, as for the alert topic. SNS decrypts before delivering, so
   * subscribers (Amazon Q Developer in chat applications, a queue, a stream)
   * need nothing of it; only publishers do: the notifier through its role.
   * https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
   */
  readonly kmsKeyArn: string;
  readonly accountId: string;
  readonly partition: string;
  /** The alarm on failed deliveries publishes here (the alert topic: email still works when chat does not). */
  readonly alarmTopicArn: string;
  /** Alarm name; must start with the deployment's name so the alert topic and key admit it. */
  readonly alarmName: string;
  /** What failed, in plain words, for the alarm notification. */
  readonly alarmDescription: string;
}

/**
 * An extra topic the notifier publishes to beside the alert topic (the chat
 * topic, the structured-alert topic), created only when its destination is
 * configured: encrypted with the alert key, publishable by principals of this
 * account only, over TLS only, and alarmed when SNS fails to deliver.
 *
 * Counted (0 or 1), so every reference goes through `arn` (an expression that
 * is null without the topic).
 */
export class DestinationTopic extends Construct {
  public readonly topic: SnsTopic;
  /** The topic's ARN, or null when the destination is not configured: `one(<topic>[*].arn)`. */
  public readonly arn: string;
  /** The same as a bare HCL expression, for use inside other expressions. */
  public readonly arnExpression: string;

  constructor(scope: Construct, id: string, props: DestinationTopicProps) {
    super(scope, id);
    const { provider, count } = props;

    this.topic = new SnsTopic(this, "topic", { provider, count, name: props.topicName, kmsMasterKeyId: props.kmsKeyArn });
    const instance = `${this.topic.terraformResourceType}.${this.topic.friendlyUniqueId}[0]`;
    this.arnExpression = `one(${this.topic.terraformResourceType}.${this.topic.friendlyUniqueId}[*].arn)`;
    this.arn = expr(this.arnExpression);

    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider,
      count,
      statement: [
        allowPublishFromThisAccount(props.partition, props.accountId, expr(`${instance}.arn`)),
        denyInsecureTransport(["sns:Publish"], [expr(`${instance}.arn`)]),
      ],
    });
    new SnsTopicPolicy(this, "policy", {
      provider,
      count,
      arn: expr(`${instance}.arn`),
      policy: expr(`data.${document.terraformResourceType}.${document.friendlyUniqueId}[0].json`),
    });

    // Deliveries SNS gave up on (the endpoint refused them or was unreachable through its retries):
    // https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html
    new CloudwatchMetricAlarm(this, "delivery-failed", {
      provider,
      count,
      alarmName: props.alarmName,
      alarmDescription: props.alarmDescription,
      namespace: "AWS/SNS",
      metricName: "NumberOfNotificationsFailed",
      dimensions: { TopicName: props.topicName },
      statistic: "Sum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      period: 300,
      treatMissingData: "notBreaching",
      alarmActions: [props.alarmTopicArn],
      okActions: [props.alarmTopicArn],
    });
  }
}
