import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { allowPublishFromThisAccount, denyInsecureTransport } from "../security/policy-statements";

export interface HeartbeatTopicProps {
  readonly provider: TerraformProvider;
  readonly topicName: string;
  readonly accountId: string;
  readonly partition: string;
  /** The alert key: the heartbeat's publish uses the key alerts use, so a key the notifier can no longer use stops the heartbeat. */
  readonly kmsKeyArn: string;
}

/**
 * Where the notifier publishes heartbeats: a topic of its own that no person
 * subscribes to, encrypted with the alert key, publishable only by this
 * account's principals, over TLS.
 *
 * Why not the alert topic with a filter policy on the email subscriptions:
 * CloudWatch alarms publish their notifications without message attributes,
 * and SNS never delivers a message without attributes through a filter
 * policy: "\"exists\": false only matches if at least one attribute is
 * present. An empty set of attributes results in the filter not matching."
 * (https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html; a
 * subscription accepts a message only when each property name in the policy
 * matches, https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).
 * Any policy that kept heartbeats out of the inboxes would keep every alarm
 * out too, silently. A separate topic leaves the email subscriptions without
 * a filter, so nothing published to the alert topic can be filtered away.
 */
export class HeartbeatTopic extends Construct {
  public readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: HeartbeatTopicProps) {
    super(scope, id);

    this.topic = new SnsTopic(this, "topic", { provider: props.provider, name: props.topicName, kmsMasterKeyId: props.kmsKeyArn });
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider: props.provider,
      statement: [
        allowPublishFromThisAccount(props.partition, props.accountId, this.topic.arn),
        denyInsecureTransport(["sns:Publish"], [this.topic.arn]),
      ],
    });
    new SnsTopicPolicy(this, "policy", { provider: props.provider, arn: this.topic.arn, policy: document.json });
  }
}
