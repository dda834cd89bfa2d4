import { Construct } from "constructs";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";

export interface EventForwardingProps {
  /**
   * Provider of the watched region.
   * @default - the stack's default provider (the home region)
   */
  readonly provider?: TerraformProvider;
  readonly ruleName: string;
  /** The forwarding pattern (JSON): coarse, covering every regional preset part (see `forwardingPattern`). */
  readonly eventPattern: string;
  /** 0 or 1, a Terraform expression: forward only when a regional preset is enabled (and, for the home region, when it is not the alerting region). */
  readonly count: number;
  /** The alerting region's default event bus. */
  readonly targetBusArn: string;
  /** Role EventBridge assumes to put events on that bus. */
  readonly roleArn: string;
  /** What the target needs first (the role). */
  readonly dependsOn?: ITerraformDependable[];
  /** @default 86400 */
  readonly maxEventAgeSeconds?: number;
  /** @default 185 */
  readonly maxRetryAttempts?: number;
}

/**
 * The forwarding rule of one watched region: regional CloudTrail events
 * the presets may need, sent to the alerting region's default bus, where the
 * preset rules match them precisely. Forwarded events keep their `region`.
 * A single rule, so each event is forwarded at most once.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
export class EventForwarding extends Construct {
  public readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: EventForwardingProps) {
    super(scope, id);

    this.rule = new CloudwatchEventRule(this, "rule", {
      provider: props.provider,
      count: props.count,
      name: props.ruleName,
      description: "Forwards regional CloudTrail events the alert presets watch to the alerting region (us-east-1)",
      eventPattern: props.eventPattern,
    });
    new CloudwatchEventTarget(this, "target", {
      provider: props.provider,
      count: props.count,
      rule: props.ruleName,
      targetId: "alerting-region-bus",
      arn: props.targetBusArn,
      roleArn: props.roleArn,
      retryPolicy: {
        maximumEventAgeInSeconds: props.maxEventAgeSeconds ?? 86_400,
        maximumRetryAttempts: props.maxRetryAttempts ?? 185,
      },
      dependsOn: [this.rule, ...(props.dependsOn ?? [])],
    });
  }
}
