import { Construct } from "constructs";
import { TerraformProvider, Token } from "cdktf";
import { expr } from "../shared/expressions";
import { Composite } from "../shared/composite";
import type { DeploymentNaming } from "../config/naming";
import { ALERTING_REGION } from "../config/regions";
import { EncryptionKey } from "../security/encryption-key";
import { alertKeyStatements } from "../security/key-policies";
import { AlertTopic } from "./alert-topic";
import { DeadLetterQueue } from "./dead-letter-queue";
import { DestinationTopic } from "./destination-topic";
import { NotifierFunction, type DestinationTopicRef } from "./notifier-function";

export interface AlertDeliveryProps {
  /** The us-east-1 provider: the alerting half lives where IAM events arrive. */
  readonly provider: TerraformProvider;
  readonly naming: DeploymentNaming;
  /** Email addresses (a Terraform list expression) subscribed to the topic. */
  readonly emailAddresses: string[];
  /** `var.log_retention_days`. */
  readonly logRetentionDays: number;
  /** `var.notifier_reserved_concurrency` (a number or null). */
  readonly reservedConcurrency: number;
  /** Folder holding the built handler bundle (`handler/dist`). */
  readonly handlerBundleDir: string;
  /** `var.account_names` (a Terraform map expression). */
  readonly accountNames: Record<string, string>;
  /**
   * Whether Slack or Teams channels are configured (a bare HCL boolean over
   * variables): the chat topic the notifier then also publishes to.
   * @default - no chat topic
   */
  readonly chatEnabled?: string;
  /**
   * Whether `sns_subscriptions` are configured: the structured-alert topic.
   * @default - no structured-alert topic
   */
  readonly structuredEnabled?: string;
}

/**
 * From a matched event to an inbox: the notifier function (with its
 * dead-letter queue) publishing to an encrypted topic, and the key that
 * encrypts both (KMS keys are regional, so the alerting half has its own).
 * When configured, the notifier also publishes to a chat topic and a
 * structured-alert topic, encrypted with the same key.
 */
export class AlertDelivery extends Composite {
  public readonly alertKey: EncryptionKey;
  public readonly topic: AlertTopic;
  public readonly notifierDlq: DeadLetterQueue;
  public readonly notifier: NotifierFunction;
  /** Custom notifications for Amazon Q Developer in chat applications (Slack, Teams); counted. */
  public readonly chatTopic?: DestinationTopic;
  /** Structured JSON alerts for `sns_subscriptions` (SIEM, ticketing); counted. */
  public readonly structuredTopic?: DestinationTopic;

  constructor(scope: Construct, id: string, props: AlertDeliveryProps) {
    super(scope, id);
    const { naming, provider } = props;

    this.alertKey = new EncryptionKey(this, "alert-key", {
      provider,
      aliasName: `${naming.name}-alerts`,
      description: "Encrypts this deployment's alert topic, notifier environment and logs",
      accountId: naming.accountId,
      partition: naming.partition,
      serviceStatements: alertKeyStatements({
        accountId: naming.accountId,
        alarmArnPattern: naming.alarmArnPattern,
        region: ALERTING_REGION,
        logGroupArn: naming.notifierLogGroupArn,
        eventRuleArns: [naming.regionalAlarmsRuleArn],
      }),
    });

    this.topic = new AlertTopic(this, "alert-topic", {
      provider,
      topicName: naming.topicName,
      emailAddresses: props.emailAddresses,
      accountId: naming.accountId,
      partition: naming.partition,
      kmsKeyArn: this.alertKey.key.arn,
      alarmArnPattern: naming.alarmArnPattern,
      eventRuleArns: [naming.regionalAlarmsRuleArn],
    });

    const destination = (key: string, enabled: string, what: string): DestinationTopic =>
      new DestinationTopic(this, `${key}-topic`, {
        provider,
        count: Token.asNumber(expr(`${enabled} ? 1 : 0`)),
        topicName: `${naming.topicName}-${key}`,
        kmsKeyArn: this.alertKey.key.arn,
        accountId: naming.accountId,
        partition: naming.partition,
        alarmTopicArn: this.topic.topic.arn,
        alarmName: `${naming.name}-${key}-delivery-failed`,
        alarmDescription: `SNS could not deliver alerts from topic ${naming.topicName}-${key} to ${what}: those alerts did not arrive there (the email alerts did). Check the subscriptions of the topic and the endpoint's permissions; SNS delivery status is in the topic's CloudWatch metrics.`,
      });
    const destinationTopics: Record<string, DestinationTopicRef> = {};
    if (props.chatEnabled !== undefined) {
      this.chatTopic = destination("chat", props.chatEnabled, "Amazon Q Developer in chat applications (Slack, Microsoft Teams)");
    }
    if (props.structuredEnabled !== undefined) {
      this.structuredTopic = destination("structured", props.structuredEnabled, "the sns_subscriptions endpoints");
    }
    if (this.chatTopic !== undefined && props.chatEnabled !== undefined) {
      destinationTopics["CHAT_TOPIC_ARN"] = { enabled: props.chatEnabled, arn: this.chatTopic.arnExpression };
    }
    if (this.structuredTopic !== undefined && props.structuredEnabled !== undefined) {
      destinationTopics["STRUCTURED_TOPIC_ARN"] = { enabled: props.structuredEnabled, arn: this.structuredTopic.arnExpression };
    }

    this.notifierDlq = new DeadLetterQueue(this, "notifier-dlq", {
      provider,
      queueName: `${naming.name}-notifier-dlq`,
      senderRoleArns: [naming.functionRoleArn],
    });

    this.notifier = new NotifierFunction(this, "notifier", {
      provider,
      functionName: naming.functionName,
      bundleDir: props.handlerBundleDir,
      topicArn: this.topic.topic.arn,
      // Built from the name: the heartbeat topic is the liveness concern's (src/liveness/), created after the function.
      heartbeatTopicArn: naming.heartbeat.topicArn,
      destinationTopics,
      deadLetterQueueArn: this.notifierDlq.queue.arn,
      logRetentionDays: props.logRetentionDays,
      kmsKeyArn: this.alertKey.key.arn,
      reservedConcurrency: props.reservedConcurrency,
      accountNames: props.accountNames,
    });
  }
}
