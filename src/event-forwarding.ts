import { Construct } from "constructs";
import { ITerraformDependable, TerraformIterator, TerraformProvider } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";

export interface EventForwardingProps {
  /** Provider of the watched region. */
  readonly provider?: TerraformProvider;
  readonly namePrefix: string;
  /**
   * The regional preset rules to forward: a Terraform map expression known at
   * plan time (keys and values as in the presets local: `name_suffix`,
   * `description`, `event_pattern`).
   */
  readonly rules: { [key: string]: unknown };
  /** The alerting region's default event bus. */
  readonly targetBusArn: string;
  /** Role EventBridge assumes to put events on that bus. */
  readonly roleArn: string;
  /** What the targets need first (the role). */
  readonly dependsOn?: ITerraformDependable[];
  /** @default 86400 */
  readonly maxEventAgeSeconds?: number;
  /** @default 185 */
  readonly maxRetryAttempts?: number;
}

/**
 * Forwarding rules in one watched region: one per enabled regional preset
 * part, with the same pattern and name as the rule in the alerting region,
 * targeting the alerting region's default bus. Forwarded events keep their
 * `region`, so the rules there match them (and the alert names the region).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
export class EventForwarding extends Construct {
  public readonly rules: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: EventForwardingProps) {
    super(scope, id);

    const each = TerraformIterator.fromMap(props.rules);
    this.rules = new CloudwatchEventRule(this, "rules", {
      provider: props.provider,
      forEach: each,
      name: `${props.namePrefix}-${each.getString("name_suffix")}`,
      description: `Forwards to the alerting region: ${each.getString("description")}`,
      eventPattern: each.getString("event_pattern"),
    });
    const rules = TerraformIterator.fromResources(this.rules);
    new CloudwatchEventTarget(this, "targets", {
      provider: props.provider,
      forEach: rules,
      rule: rules.getString("name"),
      targetId: "alerting-region-bus",
      arn: props.targetBusArn,
      roleArn: props.roleArn,
      dependsOn: props.dependsOn,
      retryPolicy: {
        maximumEventAgeInSeconds: props.maxEventAgeSeconds ?? 86_400,
        maximumRetryAttempts: props.maxRetryAttempts ?? 185,
      },
    });
  }
}
