import { Construct } from "constructs";
import { type Precondition, TerraformLocal, TerraformProvider, Token } from "cdktf";
import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { CloudwatchEventPermission } from "@cdktf/provider-aws/lib/cloudwatch-event-permission";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { Composite } from "../shared/composite";
import { expr } from "../shared/expressions";
import type { DeploymentNaming } from "../config/naming";
import { CentralRegions } from "./central-regions";
import { MemberPatterns } from "./member-patterns";
import { memberTemplateExpression } from "./member-template";

export interface OrganizationCoverageProps {
  /** The us-east-1 provider: the central bus, and the StackSets' home. */
  readonly provider: TerraformProvider;
  readonly naming: DeploymentNaming;
  /** `var.organization_id`, `var.organization_unit_ids` and `var.member_regions` (tokens). */
  readonly organizationId: string;
  readonly organizationUnitIds: string[];
  readonly memberRegions: string[];
  /**
   * Regions of this account that already forward to us-east-1 without a
   * StackSet (the synth-time forwarding of the home and watched regions),
   * as a bare HCL list expression (no `${}`); the central StackSet leaves them out so no
   * event is forwarded twice.
   */
  readonly centrallyForwardedRegions: string;
}

/**
 * One deployment for a whole AWS Organization: the central us-east-1 bus
 * admits events from the organization's accounts, and a service-managed
 * StackSet puts the member template (`./member-template.ts`) in every
 * account of the chosen OUs, present and future (auto-deployment), in every
 * member region. The same template covers this account's own regions beyond
 * the home region (`./central-regions.ts`). Nothing is planned while
 * `organization_unit_ids` is empty, except those extra central regions.
 */
export class OrganizationCoverage extends Composite {
  constructor(scope: Construct, id: string, props: OrganizationCoverageProps) {
    super(scope, id);
    const { naming, provider } = props;
    // us-east-1 always: IAM, STS (global endpoint), Organizations and most sign-ins are recorded only there.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
    const regions = new TerraformLocal(
      this,
      "member_regions",
      expr(`distinct(concat(["us-east-1"], length(var.member_regions) == 0 ? [${naming.homeRegion}] : var.member_regions))`),
    );
    const enabled = new TerraformLocal(this, "organization_enabled", expr(`length(var.organization_unit_ids) > 0`));
    const count = Token.asNumber(expr(`local.${enabled.friendlyUniqueId} ? 1 : 0`));

    const patterns = new MemberPatterns(this, "member-patterns", { name: naming.name });
    const template = new TerraformLocal(
      this,
      "member_template",
      expr(
        memberTemplateExpression({
          name: naming.name,
          centralAccountId: naming.accountId,
          centralBusArn: naming.alertingBusArn,
          alertingRegionPatternLocal: patterns.alertingRegionLocal,
          otherRegionPatternLocal: patterns.otherRegionLocal,
        }),
      ),
    );
    const patternFits = (local: string): Precondition => ({
      // EventBridge's default quota for an event pattern: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
      condition: expr(`length(local.${local}) <= 2048`),
      errorMessage: expr(
        `"The member forwarding pattern is \${length(local.${local})} characters; EventBridge's default limit is 2,048. Enable fewer presets or shorten iam_events."`,
      ),
    });
    const preconditions = [patternFits(patterns.alertingRegionLocal), patternFits(patterns.otherRegionLocal)];

    // The central bus admits PutEvents from any account of the organization, nothing else.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
    new CloudwatchEventPermission(this, "organization-bus-permission", {
      provider,
      count,
      eventBusName: "default",
      statementId: `${naming.name}-organization-members`,
      principal: "*",
      action: "events:PutEvents",
      condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: props.organizationId },
    });

    // A delegated administrator deploys service-managed StackSets with call_as = DELEGATED_ADMIN; the management account with SELF.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
    const organization = new DataAwsOrganizationsOrganization(this, "organization", { provider, count });
    const callAs = expr(
      `local.${enabled.friendlyUniqueId} ? (data.${organization.terraformResourceType}.${organization.friendlyUniqueId}[0].master_account_id == ${naming.accountId} ? "SELF" : "DELEGATED_ADMIN") : "SELF"`,
    );

    // Service-managed: AWS Organizations trusted access creates the roles in each member, and
    // auto-deployment adds every account that joins a target OU later.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
    const stackSet = new CloudformationStackSet(this, "member-stack-set", {
      provider,
      count,
      name: `${naming.name}-member-forwarding`,
      description: "Forwards each member account's matching CloudTrail events to the central alerting bus (cloudtrail-alerting)",
      permissionModel: "SERVICE_MANAGED",
      callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      templateBody: `\${local.${template.friendlyUniqueId}}`,
      operationPreferences: { regionConcurrencyType: "PARALLEL", maxConcurrentPercentage: 100, failureTolerancePercentage: 10 },
      lifecycle: { ignoreChanges: ["administration_role_arn"], precondition: preconditions },
    });
    new CloudformationStackSetInstance(this, "member-stack-instances", {
      provider,
      // A literal name: the StackSet is counted (0 or 1); the dependency is explicit.
      stackSetName: `${naming.name}-member-forwarding`,
      dependsOn: [stackSet],
      callAs,
      region: "${each.value}",
      deploymentTargets: { organizationalUnitIds: props.organizationUnitIds },
      retainStack: false,
    }).addOverride("for_each", expr(`local.${enabled.friendlyUniqueId} ? toset(local.${regions.friendlyUniqueId}) : toset([])`));

    new CentralRegions(this, "central-regions", {
      provider,
      naming,
      templateLocal: template.friendlyUniqueId,
      regions: `setsubtract(toset(local.${regions.friendlyUniqueId}), toset(concat(["us-east-1"], ${props.centrallyForwardedRegions})))`,
      preconditions,
    });
  }
}
