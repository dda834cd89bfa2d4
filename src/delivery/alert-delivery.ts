import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Composite } from "../shared/composite";
import type { DeploymentNaming } from "../config/naming";
import { ALERTING_REGION } from "../config/regions";
import { EncryptionKey } from "../security/encryption-key";
import { alertKeyStatements } from "../security/key-policies";
import { AlertTopic } from "./alert-topic";
import { DeadLetterQueue } from "./dead-letter-queue";
import { NotifierFunction } from "./notifier-function";

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
}

/**
 * From a matched event to an inbox: the notifier function (with its
 * dead-letter queue) publishing to an encrypted topic, and the key that
 * encrypts both (KMS keys are regional, so the alerting half has its own).
 */
export class AlertDelivery extends Composite {
  public readonly alertKey: EncryptionKey;
  public readonly topic: AlertTopic;
  public readonly notifierDlq: DeadLetterQueue;
  public readonly notifier: NotifierFunction;

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
      deadLetterQueueArn: this.notifierDlq.queue.arn,
      logRetentionDays: props.logRetentionDays,
      kmsKeyArn: this.alertKey.key.arn,
      reservedConcurrency: props.reservedConcurrency,
      accountNames: props.accountNames,
    });
  }
}
