import { Construct } from "constructs";
import { Fn, TerraformProvider } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { DeadLetterQueue } from "./dead-letter-queue";

/** detail-types CloudTrail uses on EventBridge: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html */
export const API_CALL = "AWS API Call via CloudTrail";
export const CONSOLE_SIGN_IN = "AWS Console Sign In via CloudTrail";

/** Rule names follow the stack's prefix: `<prefix>-<suffix>`. */
export const RULE_SUFFIXES = { iamEvents: "iam-events", rootActivity: "root-activity" } as const;

export interface EventRulesProps {
  /**
   * Provider (region) to create everything in.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  readonly namePrefix: string;
  /** IAM API actions to alert on; a Terraform list expression, jsonencoded at plan time. */
  readonly iamEvents: string[];
  readonly targetFunctionArn: string;
  readonly targetFunctionName: string;
  /** Name of the queue where EventBridge puts events it could not deliver to the function after its retries. */
  readonly deadLetterQueueName: string;
  /**
   * How long EventBridge keeps retrying a failed delivery.
   * @default 86400 (24 hours, the EventBridge default, stated explicitly)
   */
  readonly maxEventAgeSeconds?: number;
  /** @default 185 (the EventBridge default) */
  readonly maxRetryAttempts?: number;
}

/**
 * EventBridge rules on the default bus of the alerting region, each with the
 * notifier as its target: one for the IAM calls in `iam_events`, one for any
 * use of the root user. Each rule may invoke the function only through its
 * own `aws_lambda_permission` (source ARN = that rule). Deliveries that still
 * fail after the retry policy go to an encrypted dead-letter queue that only
 * these rules may write to.
 */
export class EventRules extends Construct {
  public readonly iamEvents: CloudwatchEventRule;
  public readonly rootActivity: CloudwatchEventRule;
  public readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);

    this.iamEvents = new CloudwatchEventRule(this, RULE_SUFFIXES.iamEvents, {
      provider: props.provider,
      name: `${props.namePrefix}-${RULE_SUFFIXES.iamEvents}`,
      description: "Critical IAM API calls (var.iam_events)",
      // Built with Terraform's jsonencode over the variable, so a tfvars change
      // alters the deployed pattern without synthesizing again.
      eventPattern: Fn.jsonencode({
        source: ["aws.iam"],
        "detail-type": [API_CALL],
        detail: {
          eventSource: ["iam.amazonaws.com"],
          eventName: props.iamEvents,
        },
      }),
    });

    this.rootActivity = new CloudwatchEventRule(this, RULE_SUFFIXES.rootActivity, {
      provider: props.provider,
      name: `${props.namePrefix}-${RULE_SUFFIXES.rootActivity}`,
      description: "Any API call or console sign-in by the root user",
      eventPattern: Fn.jsonencode({
        "detail-type": [API_CALL, CONSOLE_SIGN_IN],
        detail: { userIdentity: { type: ["Root"] } },
      }),
    });

    this.deadLetterQueue = new DeadLetterQueue(this, "delivery-dlq", {
      provider: props.provider,
      queueName: props.deadLetterQueueName,
      eventRuleArns: this.rules.map((rule) => rule.arn),
    });

    for (const [key, rule] of [
      [RULE_SUFFIXES.iamEvents, this.iamEvents],
      [RULE_SUFFIXES.rootActivity, this.rootActivity],
    ] as const) {
      new CloudwatchEventTarget(this, `${key}-target`, {
      provider: props.provider,
        rule: rule.name,
        targetId: "notifier",
        arn: props.targetFunctionArn,
        retryPolicy: {
          maximumEventAgeInSeconds: props.maxEventAgeSeconds ?? 86_400,
          maximumRetryAttempts: props.maxRetryAttempts ?? 185,
        },
        deadLetterConfig: { arn: this.deadLetterQueue.queue.arn },
      });
      new LambdaPermission(this, `${key}-permission`, {
      provider: props.provider,
        statementId: `AllowInvokeFrom-${key}`,
        action: "lambda:InvokeFunction",
        functionName: props.targetFunctionName,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      });
    }
  }

  public get rules(): CloudwatchEventRule[] {
    return [this.iamEvents, this.rootActivity];
  }
}
