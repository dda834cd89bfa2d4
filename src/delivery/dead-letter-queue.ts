import { Construct } from "constructs";
import { denyInsecureTransport } from "../security/policy-statements";
import { TerraformProvider } from "cdktf";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface DeadLetterQueueProps {
  /**
   * Provider (region) to create everything in.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  readonly queueName: string;
  /**
   * EventBridge rules allowed to send failed deliveries here (`aws:SourceArn`).
   * @default - no service principal may send; only identity policies (such as the function's role) can
   */
  readonly eventRuleArns?: string[];
  /**
   * IAM roles allowed to send here (the notifier function's role, for failed asynchronous invocations).
   * @default - none
   */
  readonly senderRoleArns?: string[];
  /**
   * How long a dead-lettered event is kept: long enough to notice and replay it.
   * @default 1209600 (14 days, the SQS maximum)
   */
  readonly retentionSeconds?: number;
}

/**
 * An encrypted (SSE-SQS) queue that keeps events which could not be
 * delivered, so that nothing is lost silently. Only the named senders may
 * write; requests without TLS are denied. A CloudWatch alarm on its depth
 * tells a person (see FailureAlarms), and `npm run redrive` replays it.
 */
export class DeadLetterQueue extends Construct {
  public readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);

    this.queue = new SqsQueue(this, "queue", {
      provider: props.provider,
      name: props.queueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: props.retentionSeconds ?? 1_209_600,
    });

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      denyInsecureTransport(["sqs:*"], [this.queue.arn]),
    ];
    if (props.eventRuleArns !== undefined && props.eventRuleArns.length > 0) {
      statements.push({
        sid: "AllowEventBridgeDeadLetters",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        actions: ["sqs:SendMessage"],
        resources: [this.queue.arn],
        condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: props.eventRuleArns }],
      });
    }

    if (props.senderRoleArns !== undefined && props.senderRoleArns.length > 0) {
      statements.push({
        sid: "AllowFunctionDeadLetters",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: props.senderRoleArns }],
        actions: ["sqs:SendMessage"],
        resources: [this.queue.arn],
      });
    }

    const document = new DataAwsIamPolicyDocument(this, "policy-document", { provider: props.provider, statement: statements });
    new SqsQueuePolicy(this, "policy", { provider: props.provider, queueUrl: this.queue.url, policy: document.json });
  }
}
