import { Construct } from "constructs";
import { type Precondition, TerraformProvider, Token } from "cdktf";
import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Composite } from "../shared/composite";
import { expr } from "../shared/expressions";
import type { DeploymentNaming } from "../config/naming";

export interface CentralRegionsProps {
  readonly provider: TerraformProvider;
  readonly naming: DeploymentNaming;
  /** Name of the local holding the member template. */
  readonly templateLocal: string;
  /** The regions of this account to cover with the template: a bare HCL set expression (no `${}`), known at plan time. */
  readonly regions: string;
  readonly preconditions: Precondition[];
}

/**
 * This account's own regions beyond us-east-1 and the home region: the
 * member template, through a self-managed StackSet with instances in this
 * account only. Unlike providers (fixed at synth), StackSet instances are a
 * plan-time list, so `member_regions` alone extends coverage to every region
 * the account has enabled. Self-managed StackSets need an administration role
 * (assumed by CloudFormation) and an execution role (assumed by it), here
 * both limited to this account and to the template's resources.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html
 */
export class CentralRegions extends Composite {
  constructor(scope: Construct, id: string, props: CentralRegionsProps) {
    super(scope, id);
    const { naming, provider } = props;
    const count = Token.asNumber(expr(`length(${props.regions}) > 0 ? 1 : 0`));
    const adminName = `${naming.name}-stackset-admin`;
    const executionName = `${naming.name}-stackset-execution`;
    const stackSetName = `${naming.name}-central-regions`;
    const executionArn = naming.arn("iam", "", `role/${executionName}`);

    const adminTrust = new DataAwsIamPolicyDocument(this, "stackset-admin-trust", {
      provider,
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudformation.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [naming.accountId] }],
        },
      ],
    });
    const admin = new IamRole(this, "stackset-admin-role", {
      provider,
      count,
      name: adminName,
      description: "CloudFormation StackSets: deploys the forwarding template to this account's extra regions",
      assumeRolePolicy: adminTrust.json,
    });
    const adminPermissions = new DataAwsIamPolicyDocument(this, "stackset-admin-permissions", {
      provider,
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], resources: [executionArn] }],
    });
    new IamRolePolicy(this, "stackset-admin-policy", {
      provider,
      count,
      name: "assume-the-execution-role",
      role: adminName,
      policy: adminPermissions.json,
      dependsOn: [admin],
    });

    const executionTrust = new DataAwsIamPolicyDocument(this, "stackset-execution-trust", {
      provider,
      statement: [
        { effect: "Allow", principals: [{ type: "AWS", identifiers: [naming.arn("iam", "", `role/${adminName}`)] }], actions: ["sts:AssumeRole"] },
      ],
    });
    const execution = new IamRole(this, "stackset-execution-role", {
      provider,
      count,
      name: executionName,
      description: "CloudFormation StackSets: creates the forwarding rules and role of the template, nothing else",
      assumeRolePolicy: executionTrust.json,
      dependsOn: [admin],
    });
    const executionPermissions = new DataAwsIamPolicyDocument(this, "stackset-execution-permissions", {
      provider,
      statement: [
        { sid: "Stacks", effect: "Allow", actions: ["cloudformation:*"], resources: [naming.arn("cloudformation", "*", `stack/StackSet-${stackSetName}-*/*`)] },
        {
          sid: "Rules",
          effect: "Allow",
          actions: ["events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:EnableRule", "events:DisableRule", "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule", "events:TagResource", "events:UntagResource"],
          resources: [naming.arn("events", "*", `rule/${naming.name}-member-*`)],
        },
        {
          sid: "ForwardingRoles",
          effect: "Allow",
          actions: ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:PassRole"],
          resources: [naming.arn("iam", "", `role/${naming.name}-member-forward-*`)],
        },
      ],
    });
    new IamRolePolicy(this, "stackset-execution-policy", {
      provider,
      count,
      name: "create-the-forwarding-template",
      role: executionName,
      policy: executionPermissions.json,
      dependsOn: [execution],
    });

    const stackSet = new CloudformationStackSet(this, "central-stack-set", {
      provider,
      count,
      name: stackSetName,
      description: "Forwards this account's matching CloudTrail events from its extra regions to us-east-1 (cloudtrail-alerting)",
      permissionModel: "SELF_MANAGED",
      administrationRoleArn: naming.arn("iam", "", `role/${adminName}`),
      executionRoleName: executionName,
      capabilities: ["CAPABILITY_NAMED_IAM"],
      parameters: { ForwardFromCentral: "true" },
      templateBody: `\${local.${props.templateLocal}}`,
      operationPreferences: { regionConcurrencyType: "PARALLEL", maxConcurrentPercentage: 100 },
      lifecycle: { precondition: props.preconditions },
      dependsOn: [admin, execution],
    });
    new CloudformationStackSetInstance(this, "central-stack-instances", {
      provider,
      stackSetName,
      accountId: naming.accountId,
      region: "${each.value}",
      retainStack: false,
      dependsOn: [stackSet],
    }).addOverride("for_each", expr(props.regions));
  }
}
