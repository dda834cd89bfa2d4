/**
 * Terraform variables of organization-wide coverage (see README,
 * "Organizations"). With `organization_unit_ids` empty (the default) nothing
 * of the organization is planned: the single-account stack as before.
 */
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { expr } from "../shared/expressions";

export interface OrganizationVariables {
  readonly organizationId: TerraformVariable;
  readonly organizationUnitIds: TerraformVariable;
  readonly memberRegions: TerraformVariable;
  readonly createTrail: TerraformVariable;
  readonly accountNames: TerraformVariable;
}

/** Region names as AWS writes them (`eu-west-1`, `us-gov-west-1`, `ap-southeast-5`). */
const REGION = String.raw`^[a-z]{2}(-[a-z]+)+-[0-9]+$`;

export function declareOrganizationVariables(scope: Construct): OrganizationVariables {
  const organizationId = new TerraformVariable(scope, "organization_id", {
    type: "string",
    default: "",
    description:
      "ID of the AWS Organization (o-...) whose accounts may send events to this deployment's us-east-1 bus. Required with organization_unit_ids.",
    validation: [
      {
        // https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (Id pattern)
        condition: expr(String.raw`var.organization_id == "" || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))`),
        errorMessage: 'organization_id must be an AWS Organizations ID such as "o-a1b2c3d4e5" (o- followed by 10-32 lowercase letters or digits), or "" for a single account.',
      },
    ],
  });

  const organizationUnitIds = new TerraformVariable(scope, "organization_unit_ids", {
    type: "list(string)",
    default: [],
    description:
      "Organizational units (ou-...) or the organization root (r-...) whose accounts, present and future, forward their events here through a service-managed StackSet. Empty: this account only.",
    validation: [
      {
        // https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html and API_Root.html (Id patterns)
        condition: expr(
          String.raw`alltrue([for id in var.organization_unit_ids : can(regex("^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$", id))])`,
        ),
        errorMessage:
          'organization_unit_ids must contain organizational unit IDs such as "ou-ab12-cd34ef56" or the root ID such as "r-ab12".',
      },
      {
        condition: expr(`length(var.organization_unit_ids) == 0 || var.organization_id != ""`),
        errorMessage: "organization_unit_ids needs organization_id: the central bus admits events only from accounts of that organization (aws:PrincipalOrgID).",
      },
    ],
  });

  const memberRegions = new TerraformVariable(scope, "member_regions", {
    type: "list(string)",
    default: [],
    description:
      "Regions whose events are forwarded, in every member account and (beyond the home region) in this account: us-east-1 is always included. Empty: us-east-1 and the home region. List every region your accounts have enabled to close the regional sign-in and root-call gaps (see README).",
    validation: [
      {
        condition: expr(`alltrue([for r in var.member_regions : can(regex("${REGION}", r))])`),
        errorMessage: 'member_regions must contain AWS region names such as "eu-west-1" (or be empty for us-east-1 and the home region).',
      },
    ],
  });

  const createTrail = new TerraformVariable(scope, "create_trail", {
    type: "bool",
    default: true,
    description:
      "Create this deployment's multi-region trail. Set false only when an organization trail already records management events of every covered account and region (see README): without a trail, no event reaches EventBridge.",
  });

  const accountNames = new TerraformVariable(scope, "account_names", {
    type: "map(string)",
    default: {},
    description: "Readable names of account IDs (\"111122223333\" = \"prod\"), shown in alerts next to the ID.",
    validation: [
      {
        condition: expr(String.raw`alltrue([for id, name in var.account_names : can(regex("^[0-9]{12}$", id)) && length(name) > 0 && length(name) <= 50])`),
        errorMessage: 'account_names must map 12-digit account IDs to names of 1-50 characters, for example { "111122223333" = "prod" }.',
      },
      {
        // Lambda's environment, where the notifier reads them, holds at most 4 KB in all:
        // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
        condition: expr("length(jsonencode(var.account_names)) <= 3000"),
        errorMessage: "account_names is too long: it must fit in 3,000 characters of JSON (Lambda environment variables are limited to 4 KB in all). Shorten the names or list only the accounts that matter.",
      },
    ],
  });

  return { organizationId, organizationUnitIds, memberRegions, createTrail, accountNames };
}
