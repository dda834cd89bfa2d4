import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface ForwardingRoleProps {
  /** @default - the stack's default provider (IAM is global; the provider only signs the calls) */
  readonly provider?: TerraformProvider;
  readonly roleName: string;
  readonly accountId: string;
  /** The only bus the role may put events on: the alerting region's default bus. */
  readonly targetBusArn: string;
  /**
   * Number of instances, a Terraform expression (0 when nothing is forwarded,
   * for example when the home region turns out to be the alerting region).
   * @default 1
   */
  readonly count?: number;
}

/**
 * The role EventBridge assumes to send events from a watched region's bus to
 * the alerting region's bus: assumable only by EventBridge on behalf of this
 * account (`aws:SourceAccount`), allowed only `events:PutEvents` on that bus.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
export class ForwardingRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ForwardingRoleProps) {
    super(scope, id);

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      provider: props.provider,
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      provider: props.provider,
      count: props.count,
      name: props.roleName,
      description: "EventBridge: forwards watched regions' CloudTrail events to the alerting region's default bus",
      assumeRolePolicy: trust.json,
    });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      provider: props.provider,
      statement: [{ sid: "PutEventsOnAlertingBus", effect: "Allow", actions: ["events:PutEvents"], resources: [props.targetBusArn] }],
    });
    this.policy = new IamRolePolicy(this, "policy", {
      provider: props.provider,
      count: props.count,
      name: "put-events-on-alerting-bus",
      role: props.roleName,
      policy: permissions.json,
      dependsOn: [this.role],
    });
  }
}
