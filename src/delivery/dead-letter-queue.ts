import { Construct } from "constructs";
import { denyInsecureTransport } from "../security/policy-statements";
import { TerraformProvider } from "cdktf";
import { expr } from "../shared/expressions";
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
  /**
   * 0 or 1, a Terraform expression, for a queue that exists only in some
   * configurations (a watched region's forwarding). Requires `queueArn`.
   * @default - always one queue
   */
  readonly count?: number;
  /**
   * The queue's ARN built from its name, for a counted queue (a counted
   * resource has no single `arn` attribute to reference).
   * @default - the queue's `arn` attribute
   */
  readonly queueArn?: string;
}

/**
 * An encrypted (SSE-SQS) queue that keeps events which could not be
 * delivered, so that nothing is lost silently. Only the named senders may
 * write; requests without TLS are denied. A CloudWatch alarm on its depth
 * tells a person (see FailureAlarms), and `npm run redrive` replays it.
 */
export class DeadLetterQueue extends Construct {
  public readonly queue: SqsQueue;
  /** The queue's ARN: its attribute, or for a counted queue the name-built `queueArn`. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    if (props.count !== undefined && props.queueArn === undefined) {
      throw new Error(`DeadLetterQueue ${id}: a counted queue needs queueArn (its ARN built from the name).`);
    }

    this.queue = new SqsQueue(this, "queue", {
      provider: props.provider,
      count: props.count,
      name: props.queueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: props.retentionSeconds ?? 1_209_600,
    });
    this.arn = props.queueArn ?? this.queue.arn;
    // A counted queue's URL: the one instance's (the policy is counted alike, so it is read only when the queue exists).
    const url =
      props.count === undefined
        ? this.queue.url
        : expr(`one(${this.queue.terraformResourceType}.${this.queue.friendlyUniqueId}[*].url)`);

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      denyInsecureTransport(["sqs:*"], [this.arn]),
    ];
    if (props.eventRuleArns !== undefined && props.eventRuleArns.length > 0) {
      statements.push({
        sid: "AllowEventBridgeDeadLetters",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        actions: ["sqs:SendMessage"],
        resources: [this.arn],
        condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: props.eventRuleArns }],
      });
    }

    if (props.senderRoleArns !== undefined && props.senderRoleArns.length > 0) {
      statements.push({
        sid: "AllowFunctionDeadLetters",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: props.senderRoleArns }],
        actions: ["sqs:SendMessage"],
        resources: [this.arn],
      });
    }

    const document = new DataAwsIamPolicyDocument(this, "policy-document", { provider: props.provider, statement: statements });
    new SqsQueuePolicy(this, "policy", { provider: props.provider, count: props.count, queueUrl: url, policy: document.json });
  }
}
