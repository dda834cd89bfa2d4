import { Construct } from "constructs";
import { type ITerraformDependable, TerraformIterator, type TerraformProvider, Token } from "cdktf";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { expr } from "../shared/expressions";

export interface StructuredSubscriptionsProps {
  /** The us-east-1 provider: subscriptions live with their topic. */
  readonly provider: TerraformProvider;
  /** Bare HCL expression of the subscriptions (`var.sns_subscriptions`): `{ protocol, endpoint, subscription_role_arn }`. */
  readonly subscriptions: string;
  /** The structured-alert topic's ARN (an expression, null without subscriptions). */
  readonly topicArn: string;
  readonly topic: ITerraformDependable;
}

/**
 * The `sns_subscriptions` endpoints on the structured-alert topic, keyed by
 * endpoint (removing one leaves the others alone).
 *
 * Raw message delivery, so a queue, stream or web endpoint receives the
 * structured alert itself rather than SNS's JSON envelope around it. SNS
 * offers it for SQS, HTTP/S and Firehose subscriptions, not Lambda
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html):
 * a function receives the envelope, with the structured alert as
 * `Records[0].Sns.Message`. Firehose subscriptions need a role SNS assumes
 * (https://docs.aws.amazon.com/sns/latest/dg/firehose-endpoints-subscribe.html).
 * HTTPS endpoints must confirm the subscription
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html);
 * until they do, it stays pending.
 */
export class StructuredSubscriptions extends Construct {
  public readonly subscription: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: StructuredSubscriptionsProps) {
    super(scope, id);
    const each = TerraformIterator.fromMap(Token.asAnyMap(expr(`{ for s in ${props.subscriptions} : s.endpoint => s }`)));
    this.subscription = new SnsTopicSubscription(this, "endpoint", {
      provider: props.provider,
      forEach: each,
      topicArn: props.topicArn,
      protocol: each.getString("protocol"),
      endpoint: each.getString("endpoint"),
      rawMessageDelivery: Token.asAny(expr(`each.value.protocol != "lambda"`)),
      subscriptionRoleArn: each.getString("subscription_role_arn"),
      dependsOn: [props.topic],
    });
  }
}
