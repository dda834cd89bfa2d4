import { Construct } from "constructs";
import { Fn, TerraformIterator, TerraformLocal, TerraformProvider, Token } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget, CloudwatchEventTargetConfig } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { DeadLetterQueue } from "../delivery/dead-letter-queue";
import type { Severity } from "./types";

export { API_CALL, CONSOLE_SIGN_IN } from "./types";

/** Rule names follow the stack's prefix: `<prefix>-<suffix>`. */
export const RULE_SUFFIXES = { iamEvents: "iam-events" } as const;

/**
 * The input transformer's template: the preset's name and severity, and the
 * whole original event (`<aws.events.event.json>`, the event with its
 * `detail`; `<aws.events.event>` would be the event without `detail`).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 * The notifier recognises this wrapper and labels the alert with both.
 */
export function labelledInputTemplate(preset: string, severity: Severity): string {
  return `{"preset":${JSON.stringify(preset)},"severity":${JSON.stringify(severity)},"event":<aws.events.event.json>}`;
}

export interface EventRulesProps {
  /**
   * Provider (region) to create everything in.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  readonly namePrefix: string;
  /** Pattern of the rule on the user's own `iam_events` list: a Terraform string expression (jsonencode). */
  readonly iamEventsPattern: string;
  /** Input template that labels the `iam_events` rule's alerts. */
  readonly iamEventsInputTemplate: string;
  /**
   * The enabled preset rules: a Terraform map expression (a local), keyed
   * `<preset>` or `<preset>/<part>`, each value with `name_suffix`,
   * `description`, `event_pattern` and `input_template`. Known at plan time,
   * so `for_each` can use it.
   */
  readonly presetRules: TerraformLocal;
  /**
   * `arn:<partition>:events:<region>:<account>:rule/`: rules on the default
   * bus have deterministic ARNs, so the dead-letter queue's policy is built
   * from rule names and stays readable in a plan that changes a rule.
   */
  readonly ruleArnPrefix: string;
  readonly targetFunctionArn: string;
  readonly targetFunctionName: string;
  /** Name of the queue where EventBridge puts events it could not deliver to the function after its retries. */
  readonly deadLetterQueueName: string;
  /**
   * Name suffixes of other rules of this deployment whose targets use the same
   * dead-letter queue (the heartbeat, the regional alarms): a Terraform list expression.
   * @default - none
   */
  readonly additionalRuleSuffixes?: string[];
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
 * notifier as its target: one for the IAM calls in `iam_events`, and one per
 * part of each enabled preset (`for_each` over the presets local). Each
 * target labels the event with its preset and severity (input transformer).
 * Each rule may invoke the function only through its own
 * `aws_lambda_permission` (source ARN = that rule). Deliveries that still
 * fail after the retry policy go to an encrypted dead-letter queue that only
 * these rules may write to.
 */
export class EventRules extends Construct {
  public readonly iamEvents: CloudwatchEventRule;
  /** One instance per enabled preset part (`for_each`). */
  public readonly presets: CloudwatchEventRule;
  public readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);

    this.iamEvents = new CloudwatchEventRule(this, RULE_SUFFIXES.iamEvents, {
      provider: props.provider,
      name: `${props.namePrefix}-${RULE_SUFFIXES.iamEvents}`,
      description: "Critical IAM API calls (var.iam_events)",
      // Built with Terraform's jsonencode over the variable, so a tfvars change
      // alters the deployed pattern without synthesizing again.
      eventPattern: props.iamEventsPattern,
    });

    const enabled = TerraformIterator.fromMap(props.presetRules.asAnyMap);
    this.presets = new CloudwatchEventRule(this, "presets", {
      provider: props.provider,
      forEach: enabled,
      name: `${props.namePrefix}-${enabled.getString("name_suffix")}`,
      description: enabled.getString("description"),
      eventPattern: enabled.getString("event_pattern"),
    });

    // Name suffixes of every rule here, known at plan time from variables alone.
    const ruleSuffixes = new TerraformLocal(
      this,
      "rule_name_suffixes",
      `\${concat(["${RULE_SUFFIXES.iamEvents}"], [for rule in values(local.${props.presetRules.friendlyUniqueId}) : rule.name_suffix])}`,
    );
    const deadLetterSuffixes =
      props.additionalRuleSuffixes === undefined ? ruleSuffixes.expression : Fn.concat([ruleSuffixes.asList, props.additionalRuleSuffixes]);
    this.deadLetterQueue = new DeadLetterQueue(this, "delivery-dlq", {
      provider: props.provider,
      queueName: props.deadLetterQueueName,
      eventRuleArns: Token.asList(Fn.formatlist(`${props.ruleArnPrefix}${props.namePrefix}-%s`, [deadLetterSuffixes])),
    });

    const target = (input: Pick<CloudwatchEventTargetConfig, "rule" | "inputTransformer" | "forEach">): Omit<
      CloudwatchEventTargetConfig,
      "rule"
    > & { rule: string } => ({
      ...input,
      provider: props.provider,
      targetId: "notifier",
      arn: props.targetFunctionArn,
      retryPolicy: {
        maximumEventAgeInSeconds: props.maxEventAgeSeconds ?? 86_400,
        maximumRetryAttempts: props.maxRetryAttempts ?? 185,
      },
      deadLetterConfig: { arn: this.deadLetterQueue.queue.arn },
    });
    const permission = {
      provider: props.provider,
      action: "lambda:InvokeFunction",
      functionName: props.targetFunctionName,
      principal: "events.amazonaws.com",
    };

    new CloudwatchEventTarget(
      this,
      `${RULE_SUFFIXES.iamEvents}-target`,
      target({ rule: this.iamEvents.name, inputTransformer: { inputTemplate: props.iamEventsInputTemplate } }),
    );
    new LambdaPermission(this, `${RULE_SUFFIXES.iamEvents}-permission`, {
      ...permission,
      statementId: `AllowInvokeFrom-${RULE_SUFFIXES.iamEvents}`,
      sourceArn: this.iamEvents.arn,
    });

    // One target and one permission per preset rule instance, keyed like the rule.
    const rules = TerraformIterator.fromResources(this.presets);
    const ruleDefinition = (attribute: string): string =>
      Token.asString(Fn.lookup(Fn.lookup(props.presetRules.asAnyMap, rules.key), attribute));
    new CloudwatchEventTarget(
      this,
      "presets-target",
      target({
        forEach: rules,
        rule: rules.getString("name"),
        inputTransformer: { inputTemplate: ruleDefinition("input_template") },
      }),
    );
    new LambdaPermission(this, "presets-permission", {
      ...permission,
      forEach: rules,
      statementId: `AllowInvokeFrom-${ruleDefinition("name_suffix")}`,
      sourceArn: rules.getString("arn"),
    });
  }
}

/** `aws_cloudwatch_event_rule.<id>`: the address of a (for_each) resource, for expressions over all its instances. */
export function ref(resource: CloudwatchEventRule): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
