import { Construct } from "constructs";
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
   * KMS key for server-side encryption.
   * @default "alias/aws/sns" (the AWS managed key for SNS)
   */
  readonly kmsMasterKeyId?: string;
}

/**
 * The SNS topic alerts are published to: encrypted at rest, publishable only
 * by principals of this account over TLS, with one email subscription per
 * address. Email subscriptions stay "pending confirmation" until each
 * recipient clicks the link AWS sends.
 */
export class AlertTopic extends Construct {
  public readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);

    this.topic = new SnsTopic(this, "topic", {
      provider: props.provider,
      name: props.topicName,
      kmsMasterKeyId: props.kmsMasterKeyId ?? "alias/aws/sns",
    });

    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider: props.provider,
      statement: [
        {
          sid: "AllowPublishFromThisAccountOnly",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
        },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
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
