import { Construct } from "constructs";
import { allowPublishFromThisAccount, denyInsecureTransport } from "../security/policy-statements";
import { TerraformIterator, TerraformProvider } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface AlertTopicProps {
  /**
   * Provider (region) to create everything in.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  readonly topicName: string;
  /** Email addresses to subscribe; a Terraform list expression, so tfvars can change it without a re-synth. */
  readonly emailAddresses: string[];
  readonly accountId: string;
  readonly partition: string;
  /**
   * Customer-managed KMS key for server-side encryption. Its policy must let
   * CloudWatch alarms use it: the AWS managed key (alias/aws/sns) cannot be
   * used by CloudWatch, so alarms could not publish.
   */
  readonly kmsKeyArn: string;
  /** ARN pattern of the CloudWatch alarms allowed to publish (`aws:SourceArn`), e.g. `arn:aws:cloudwatch:us-east-1:111122223333:alarm:myapp-*`. */
  readonly alarmArnPattern: string;
  /**
   * EventBridge rules allowed to publish (`aws:SourceArn`): the rule that
   * emails the watched regions' alarms.
   * @default - none
   */
  readonly eventRuleArns?: string[];
}

/**
 * The SNS topic alerts are published to: encrypted with a customer-managed
 * key, publishable only by principals of this account and this deployment's
 * CloudWatch alarms, over TLS, with one email subscription per
 * address. Email subscriptions stay "pending confirmation" until each
 * recipient clicks the link AWS sends.
 *
 * The subscriptions have no filter policy, on purpose: CloudWatch alarms and
 * EventBridge publish without message attributes, and SNS delivers no message
 * without attributes through any filter policy
 * (https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html).
 * Whatever must not reach people goes to another topic (the heartbeat's).
 */
export class AlertTopic extends Construct {
  public readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);

    this.topic = new SnsTopic(this, "topic", {
      provider: props.provider,
      name: props.topicName,
      kmsMasterKeyId: props.kmsKeyArn,
    });

    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider: props.provider,
      statement: [
        allowPublishFromThisAccount(props.partition, props.accountId, this.topic.arn),
        {
          sid: "AllowThisDeploymentsAlarms",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [
            { test: "ArnLike", variable: "aws:SourceArn", values: [props.alarmArnPattern] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
          ],
        },
        ...(props.eventRuleArns !== undefined && props.eventRuleArns.length > 0
          ? [
              {
                sid: "AllowThisDeploymentsRules",
                effect: "Allow",
                principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
                actions: ["sns:Publish"],
                resources: [this.topic.arn],
                condition: [
                  { test: "ArnEquals", variable: "aws:SourceArn", values: props.eventRuleArns },
                  { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
                ],
              },
            ]
          : []),
        denyInsecureTransport(["sns:Publish"], [this.topic.arn]),
      ],
    });
    new SnsTopicPolicy(this, "policy", { provider: props.provider, arn: this.topic.arn, policy: document.json });

    // Keyed by address: removing one recipient does not touch the others' subscriptions.
    const recipients = TerraformIterator.fromList(props.emailAddresses);
    new SnsTopicSubscription(this, "email", {
      provider: props.provider,
      forEach: recipients,
      topicArn: this.topic.arn,
      protocol: "email",
      endpoint: recipients.value,
    });
  }
}
