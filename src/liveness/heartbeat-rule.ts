import { Construct } from "constructs";
import { Fn, Token, type TerraformProvider } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { EventPattern } from "../detection/types";
import { HEARTBEAT_CONTRACT } from "./heartbeat-contract";

/** The label the notifier recognises a heartbeat by. */
export const HEARTBEAT_PRESET = HEARTBEAT_CONTRACT.preset;

/**
 * The heartbeat rule's input: the same wrapper the alerting rules use
 * (`labelledInputTemplate`), with the preset and no severity: a heartbeat is
 * not an alert. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
export const HEARTBEAT_INPUT_TEMPLATE = `{"preset":${JSON.stringify(HEARTBEAT_PRESET)},"event":<aws.events.event.json>}`;

export interface HeartbeatRuleProps {
  /** The us-east-1 provider: IAM's events reach EventBridge only there. */
  readonly provider: TerraformProvider;
  readonly ruleName: string;
  /** Built from the name (rules on the default bus have deterministic ARNs): the rule is counted. */
  readonly ruleArn: string;
  readonly pattern: EventPattern;
  readonly targetFunctionArn: string;
  readonly targetFunctionName: string;
  /** The delivery dead-letter queue, which admits this rule (see EventRules' `additionalRuleSuffixes`). */
  readonly deadLetterQueueArn: string;
  /** 0 or 1, a Terraform expression. */
  readonly count: number;
}

/**
 * The rule that hands the heartbeat's TagRole record to the notifier, with
 * its own invoke permission. Deliveries that fail after EventBridge's retries
 * land in the delivery dead-letter queue like every rule's.
 */
export class HeartbeatRule extends Construct {
  public readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: HeartbeatRuleProps) {
    super(scope, id);
    const { provider, count } = props;

    this.rule = new CloudwatchEventRule(this, "rule", {
      provider,
      count,
      name: props.ruleName,
      description: "Heartbeat: the schedule's TagRole call on the canary role, to the notifier (never subject to ignored_principal_arns)",
      eventPattern: Token.asString(Fn.jsonencode(props.pattern)),
    });
    new CloudwatchEventTarget(this, "target", {
      provider,
      count,
      rule: props.ruleName,
      targetId: "notifier",
      arn: props.targetFunctionArn,
      inputTransformer: { inputTemplate: HEARTBEAT_INPUT_TEMPLATE },
      retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      deadLetterConfig: { arn: props.deadLetterQueueArn },
      dependsOn: [this.rule],
    });
    new LambdaPermission(this, "permission", {
      provider,
      count,
      action: "lambda:InvokeFunction",
      functionName: props.targetFunctionName,
      principal: "events.amazonaws.com",
      statementId: `AllowInvokeFrom-${HEARTBEAT_PRESET}`,
      sourceArn: props.ruleArn,
      dependsOn: [this.rule],
    });
  }
}
