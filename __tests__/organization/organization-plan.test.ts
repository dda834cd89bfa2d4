/**
 * Organization-wide coverage through the real Terraform CLI: what a plan with
 * and without an organization configuration contains, how the member template
 * follows the variables, and the errors that name a mistaken variable.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CreateOrganizationalUnitCommand, CreateOrganizationCommand, ListRootsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRESET_NAMES } from "../../src/detection";
import { compilePattern } from "../../tools/event-pattern";
import { planOf, planVariables, shared } from "../support/shared";
import { type PlanJson, planned } from "../support/terraform";

const ACCOUNT = "123456789012"; // moto's default account
const HOME_REGION = "eu-west-1";
let organizationId: string;
let ou: string;

const ofType = (plan: PlanJson, type: string): PlanJson[] => planned(plan, type).map((r) => ({ address: r.address, ...r.values }));
const templateOf = (plan: PlanJson, address = "aws_cloudformation_stack_set.member_stack_set[0]"): PlanJson => {
  const stackSet = planned(plan, "aws_cloudformation_stack_set").find((r) => r.address === address);
  if (stackSet === undefined) throw new Error(`${address} is not planned`);
  return JSON.parse(stackSet.values.template_body);
};
const forwardingPatterns = (template: PlanJson): [unknown, unknown] => {
  const [, alerting, other] = template.Resources.ForwardingRule.Properties.EventPattern["Fn::If"];
  return [alerting, other];
};

beforeAll(async () => {
  // The plan reads the organization (data source) to choose call_as: the emulator needs one.
  const orgs = new OrganizationsClient({ region: "us-east-1", endpoint: shared().motoEndpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  const { Organization } = await orgs.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const { Roots = [] } = await orgs.send(new ListRootsCommand({}));
  const { OrganizationalUnit } = await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: Roots[0]!.Id!, Name: "workloads" }));
  organizationId = Organization!.Id!;
  ou = OrganizationalUnit!.Id!;
});

const organization = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  organization_id: organizationId,
  organization_unit_ids: [ou],
  ...extra,
});
/**
 * The configurations planned here, few on purpose (each plan costs seconds): every preset and four regions; one
 * preset and the default regions, without a trail of this stack's own (as when the organization's trail is
 * elsewhere); root and CIS in one other region.
 */
const EVERYTHING = { member_regions: ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"], alert_presets: PRESET_NAMES };
const ONLY_ROOT = { alert_presets: ["root-activity"], create_trail: false };
const ROOT_AND_CIS_ELSEWHERE = { alert_presets: ["root-activity", "cis-aws-foundations"], member_regions: ["ap-northeast-1"] };

// All three planned up front, under the hook's timeout; the tests then read them from planOf's cache.
beforeAll(async () => {
  await Promise.all([EVERYTHING, ONLY_ROOT, ROOT_AND_CIS_ELSEWHERE].map((configuration) => planOf(organization(configuration))));
});

describe("without an organization configuration", () => {
  it("plans nothing of the organization: no StackSet, no bus permission, no extra-region roles", async () => {
    const plan = await planOf(undefined);
    expect(ofType(plan, "aws_cloudformation_stack_set")).toEqual([]);
    expect(ofType(plan, "aws_cloudformation_stack_set_instance")).toEqual([]);
    expect(ofType(plan, "aws_cloudwatch_event_permission")).toEqual([]);
    expect(ofType(plan, "aws_iam_role").map((r) => r.name)).not.toContain("cloudtrail-alerting-stackset-admin");
  });

  it("still plans the trail, as instance 0 (create_trail defaults to true)", async () => {
    const plan = await planOf(undefined);
    expect(ofType(plan, "aws_cloudtrail").map((r) => r.address)).toEqual(["aws_cloudtrail.audit_trail_trail[0]"]);
  });
});

describe("with organization_unit_ids", () => {
  let plan: PlanJson;
  beforeAll(async () => {
    plan = await planOf(organization(EVERYTHING));
  });

  it("opens the us-east-1 default bus to PutEvents from the organization's accounts only (aws:PrincipalOrgID)", () => {
    expect(ofType(plan, "aws_cloudwatch_event_permission")).toEqual([
      expect.objectContaining({
        principal: "*",
        action: "events:PutEvents",
        event_bus_name: "default",
        condition: [{ key: "aws:PrincipalOrgID", type: "StringEquals", value: organizationId }],
      }),
    ]);
  });

  it("creates a service-managed StackSet that deploys itself to accounts that join the OUs later", () => {
    const [stackSet] = ofType(plan, "aws_cloudformation_stack_set").filter((s) => s.name === "cloudtrail-alerting-member-forwarding");
    expect(stackSet).toMatchObject({
      permission_model: "SERVICE_MANAGED",
      auto_deployment: [{ enabled: true, retain_stacks_on_account_removal: false }],
      capabilities: ["CAPABILITY_NAMED_IAM"],
      call_as: "SELF", // the emulator's account is the organization's management account
    });
  });

  it("has one instance per member region, targeting the OUs", () => {
    const instances = ofType(plan, "aws_cloudformation_stack_set_instance").filter((i) => i.address.includes("member_stack_instances"));
    expect(instances.map((i) => i.region).sort()).toEqual(["ap-southeast-2", "eu-central-1", "eu-west-1", "us-east-1"]);
    for (const instance of instances) expect(instance.deployment_targets[0].organizational_unit_ids).toEqual([ou]);
  });

  it("covers the central account's own regions beyond us-east-1 and the home region with a self-managed StackSet", () => {
    const instances = ofType(plan, "aws_cloudformation_stack_set_instance").filter((i) => i.address.includes("central_stack_instances"));
    expect(instances.map((i) => `${i.account_id} ${i.region}`).sort()).toEqual([`${ACCOUNT} ap-southeast-2`, `${ACCOUNT} eu-central-1`]);
    const [central] = ofType(plan, "aws_cloudformation_stack_set").filter((s) => s.name === "cloudtrail-alerting-central-regions");
    expect(central).toMatchObject({ permission_model: "SELF_MANAGED", parameters: { ForwardFromCentral: "true" } });
  });

  it("the member template forwards to the central bus through a role that may only put events there", () => {
    const template = templateOf(plan);
    const bus = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
    expect(template.Resources.ForwardingRule.Properties.Targets).toEqual([
      { Id: "central-bus", Arn: bus, RoleArn: { "Fn::GetAtt": ["ForwardingRole", "Arn"] } },
    ]);
    expect(template.Resources.ForwardingRole.Properties.Policies).toEqual([
      {
        PolicyName: "put-events-on-the-central-bus",
        PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: bus }] },
      },
    ]);
    expect(template.Resources.ForwardingRole.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
    });
  });

  it("the member template leaves the central account out unless asked (no event forwarded twice)", () => {
    const template = templateOf(plan);
    expect(template.Conditions.Forward["Fn::Or"][0]).toEqual({ "Fn::Not": [{ "Fn::Equals": [{ Ref: "AWS::AccountId" }, ACCOUNT] }] });
    for (const resource of Object.values(template.Resources) as PlanJson[]) expect(resource.Condition).toBe("Forward");
  });

  it("the guard rule forwards changes to the forwarding rule, and the forwarding rule changes to the guard", () => {
    const template = templateOf(plan);
    const guard = compilePattern(template.Resources.GuardRule.Properties.EventPattern);
    const [alerting] = forwardingPatterns(template);
    const forward = compilePattern(alerting);
    const disable = (rule: string): PlanJson => ({
      source: "aws.events",
      "detail-type": "AWS API Call via CloudTrail",
      detail: { eventSource: "events.amazonaws.com", eventName: "DisableRule", requestParameters: { name: rule } },
    });
    expect(guard.matches(disable("cloudtrail-alerting-member-forward"))).toBe(true);
    expect(forward.matches(disable("cloudtrail-alerting-member-forward"))).toBe(false);
    expect(forward.matches(disable("cloudtrail-alerting-member-guard"))).toBe(true);
    expect(guard.matches(disable("someone-elses-rule"))).toBe(false);
  });
});

describe("the member forwarding patterns", () => {
  it("are valid, fit EventBridge's 2,048-character quota with every preset enabled, and pin every branch to an aws.* source", async () => {
    const plan = await planOf(organization(EVERYTHING));
    for (const pattern of [...forwardingPatterns(templateOf(plan)), templateOf(plan).Resources.GuardRule.Properties.EventPattern]) {
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
      expect(() => compilePattern(pattern)).not.toThrow();
      for (const branch of (pattern as PlanJson).$or ?? [pattern]) {
        const source = JSON.stringify(branch.source);
        expect(source === JSON.stringify([{ prefix: "aws." }]) || /^\["aws\.[a-z0-9-]+"\]$/.test(source), source).toBe(true);
      }
    }
  });

  it("follow alert_presets through tfvars alone: us-east-1 forwards IAM; other regions only regional presets' events", async () => {
    const onlyRoot = await planOf(organization(ONLY_ROOT));
    const [alerting, other] = forwardingPatterns(templateOf(onlyRoot)).map((p) => compilePattern(p));
    const call = (source: string, eventName: string, extra: PlanJson = {}): PlanJson => ({
      source,
      "detail-type": "AWS API Call via CloudTrail",
      detail: { eventSource: `${source.slice(4)}.amazonaws.com`, eventName, eventType: "AwsApiCall", userIdentity: { type: "IAMUser" }, ...extra },
    });
    // iam_events always works: IAM is forwarded whole from us-east-1, never from other regions.
    expect(alerting!.matches(call("aws.iam", "CreateUser"))).toBe(true);
    expect(other!.matches(call("aws.iam", "CreateUser"))).toBe(false);
    // Root activity is regional: forwarded from every region.
    expect(other!.matches(call("aws.ec2", "RunInstances", { userIdentity: { type: "Root" } }))).toBe(true);
    // Not enabled: CIS EC2 network changes stay in the member account.
    expect(alerting!.matches(call("aws.ec2", "AuthorizeSecurityGroupIngress"))).toBe(false);

    const withCis = await planOf(organization(ROOT_AND_CIS_ELSEWHERE));
    const [, otherWithCis] = forwardingPatterns(templateOf(withCis)).map((p) => compilePattern(p));
    expect(otherWithCis!.matches(call("aws.ec2", "AuthorizeSecurityGroupIngress"))).toBe(true);
  });
});

describe("member_regions", () => {
  it("defaults to us-east-1 and the home region, and never leaves out us-east-1", async () => {
    const byDefault = await planOf(organization(ONLY_ROOT));
    const regions = (p: PlanJson): string[] =>
      ofType(p, "aws_cloudformation_stack_set_instance")
        .filter((i) => i.address.includes("member_stack_instances"))
        .map((i) => i.region)
        .sort();
    expect(regions(byDefault)).toEqual([HOME_REGION, "us-east-1"]);
    expect(ofType(byDefault, "aws_cloudformation_stack_set").map((s) => s.name)).not.toContain("cloudtrail-alerting-central-regions");
    expect(regions(await planOf(organization(ROOT_AND_CIS_ELSEWHERE)))).toEqual(["ap-northeast-1", "us-east-1"]);
  });
});

describe("create_trail = false", () => {
  it("plans no trail, and keeps the log buckets (they may hold audit logs)", async () => {
    const plan = await planOf(organization(ONLY_ROOT));
    expect(ONLY_ROOT.create_trail).toBe(false);
    expect(ofType(plan, "aws_cloudtrail")).toEqual([]);
    expect(ofType(plan, "aws_s3_bucket")).toHaveLength(2);
  });
});

describe("bad organization tfvars fail the plan with an error naming the variable", () => {
  let varsDir: string;
  beforeAll(() => {
    varsDir = mkdtempSync(join(tmpdir(), "cta-org-vars-"));
  });

  it.concurrent.for([
    ["an OU without organization_id", { organization_unit_ids: ["ou-ab12-cd34ef56"] }, "organization_unit_ids", /needs organization_id/],
    ["an organization ID that is not one", { organization_id: "org-123" }, "organization_id", /must be an AWS Organizations ID/],
    ["an OU ID that is not one", { organization_id: "o-a1b2c3d4e5", organization_unit_ids: ["workloads"] }, "organization_unit_ids", /organizational unit IDs/],
    ["a region that is not one", { member_regions: ["Frankfurt"] }, "member_regions", /AWS region names/],
    ["an account name for something that is not an account ID", { account_names: { prod: "prod" } }, "account_names", /12-digit account IDs/],
  ] as const)("%s", async ([, vars, variable, message], { expect }) => {
    const file = join(varsDir, `${variable}-${Math.random().toString(36).slice(2)}.tfvars.json`);
    writeFileSync(file, JSON.stringify(vars));
    const result = await planVariables(file);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`var.${variable}`);
    expect(result.stderr.replace(/\s+/g, " ")).toMatch(message);
  });
});
