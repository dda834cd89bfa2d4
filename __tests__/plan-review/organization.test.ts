/**
 * Organization coverage in the plan summary (issue #11): which OUs and
 * regions forward their events to the central bus, the bus permission that
 * admits them, and the trail that `create_trail = false` removes. The
 * recorded plans predate these resources, so each test builds the few
 * resource changes it needs, with the addresses and attributes the stack
 * plans (src/organization/).
 */
import { describe, expect, it } from "vitest";
import { type Finding, type ResourceChange, summarizePlan } from "../../tools/plan-review";
import { deployed, planOf, resourceChange } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MEMBER_SET = "org-watch-member-forwarding";
const CENTRAL_SET = "org-watch-central-regions";
const OU_A = "ou-ab12-aaaaaaaa";
const OU_B = "ou-ab12-bbbbbbbb";

const memberStackSet = (): Json => ({ name: MEMBER_SET, permission_model: "SERVICE_MANAGED", call_as: "SELF", capabilities: ["CAPABILITY_NAMED_IAM"] });
const centralStackSet = (): Json => ({ name: CENTRAL_SET, permission_model: "SELF_MANAGED", execution_role_name: "org-watch-stackset-execution" });
const memberInstance = (region: string, ous: string[]): Json => ({
  stack_set_name: MEMBER_SET,
  region,
  call_as: "SELF",
  account_id: "",
  deployment_targets: [{ organizational_unit_ids: ous, accounts: [], account_filter_type: "", accounts_url: "" }],
  retain_stack: false,
});
const centralInstance = (region: string): Json => ({ stack_set_name: CENTRAL_SET, region, account_id: "111122223333", deployment_targets: [], retain_stack: false });
const busPermission = (): Json => ({
  event_bus_name: "default",
  statement_id: "org-watch-organization-members",
  principal: "*",
  action: "events:PutEvents",
  condition: [{ key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-a1b2c3d4e5" }],
});

const MEMBER_SET_ADDRESS = "aws_cloudformation_stack_set.member_stack_set[0]";
const CENTRAL_SET_ADDRESS = "aws_cloudformation_stack_set.central_stack_set[0]";
const memberAddress = (region: string): string => `aws_cloudformation_stack_set_instance.member_stack_instances["${region}"]`;
const centralAddress = (region: string): string => `aws_cloudformation_stack_set_instance.central_stack_instances["${region}"]`;
const PERMISSION_ADDRESS = "aws_cloudwatch_event_permission.organization_bus_permission[0]";

const findingsOf = (...changes: ResourceChange[]): readonly Finding[] => summarizePlan(planOf(...changes)).findings;
const kindAndMessage = (findings: readonly Finding[]): [Finding["kind"], string][] => findings.map((f) => [f.kind, f.message]);

describe("organizational units", () => {
  const dropOuB = (region: string): ResourceChange =>
    resourceChange(memberAddress(region), memberInstance(region, [OU_A, OU_B]), memberInstance(region, [OU_A]));

  it("an OU removed from the targets is one weakening, naming the OU and every region it leaves", () => {
    const findings = findingsOf(dropOuB("us-east-1"), dropOuB("eu-west-1"));
    expect(kindAndMessage(findings)).toEqual([
      [
        "weakening",
        `OU \`${OU_B}\` leaves organization coverage in \`eu-west-1\`, \`us-east-1\`: its accounts stop forwarding their events there (StackSet \`${MEMBER_SET}\`).`,
      ],
    ]);
    expect(findings[0]?.area).toBe("organization");
  });

  it("is said once, on the same instance, whatever the order of the plan", () => {
    const forward = findingsOf(dropOuB("us-east-1"), dropOuB("eu-west-1"));
    const reversed = findingsOf(dropOuB("eu-west-1"), dropOuB("us-east-1"));
    expect(reversed).toEqual(forward);
    expect(forward.map((f) => f.address)).toEqual([memberAddress("eu-west-1")]);
  });

  it("an OU added to the targets is a strengthening", () => {
    const added = resourceChange(memberAddress("us-east-1"), memberInstance("us-east-1", [OU_A]), memberInstance("us-east-1", [OU_A, OU_B]));
    expect(kindAndMessage(findingsOf(added))).toEqual([
      ["strengthening", `OU \`${OU_B}\` joins organization coverage in \`us-east-1\` (StackSet \`${MEMBER_SET}\`).`],
    ]);
  });

  it("the organization root is named as such", () => {
    const rootDropped = resourceChange(memberAddress("us-east-1"), memberInstance("us-east-1", ["r-ab12"]), memberInstance("us-east-1", [OU_A]));
    expect(findingsOf(rootDropped).map((f) => f.message)).toContainEqual(expect.stringMatching(/^The organization root `r-ab12` leaves organization coverage in `us-east-1`/));
  });

  it("targets known only after apply are not reported as removed", () => {
    const after = memberInstance("us-east-1", []);
    delete after.deployment_targets;
    const unknown = resourceChange(memberAddress("us-east-1"), memberInstance("us-east-1", [OU_A, OU_B]), after, { afterUnknown: { deployment_targets: true } });
    expect(findingsOf(unknown)).toEqual([]);
  });

  it("one target known only after apply is not reported as removed either", () => {
    const after = memberInstance("us-east-1", [OU_A]);
    const unknown = resourceChange(memberAddress("us-east-1"), memberInstance("us-east-1", [OU_A, OU_B]), after, {
      afterUnknown: { deployment_targets: [{ organizational_unit_ids: [false, true] }] },
    });
    expect(findingsOf(unknown)).toEqual([]);
  });
});

describe("member regions", () => {
  it("a member region removed (its instance deleted) is a weakening that names the region and the OUs", () => {
    const removed = resourceChange(memberAddress("eu-west-1"), memberInstance("eu-west-1", [OU_A, OU_B]), null);
    expect(kindAndMessage(findingsOf(removed))).toEqual([
      [
        "weakening",
        `Region \`eu-west-1\` leaves organization coverage: the accounts of OU \`${OU_A}\`, OU \`${OU_B}\` stop forwarding its events (StackSet \`${MEMBER_SET}\`).`,
      ],
    ]);
  });

  it("a member region added is a strengthening", () => {
    const added = resourceChange(memberAddress("ap-southeast-2"), null, memberInstance("ap-southeast-2", [OU_A]));
    expect(kindAndMessage(findingsOf(added))).toEqual([
      ["strengthening", `Region \`ap-southeast-2\` joins organization coverage: the accounts of OU \`${OU_A}\` forward its events (StackSet \`${MEMBER_SET}\`).`],
    ]);
  });
});

describe("the central account's extra regions", () => {
  it("a central region removed is a weakening", () => {
    const removed = resourceChange(centralAddress("eu-central-1"), centralInstance("eu-central-1"), null);
    expect(kindAndMessage(findingsOf(removed))).toEqual([
      ["weakening", `Region \`eu-central-1\` of this account stops forwarding its events to us-east-1 (StackSet \`${CENTRAL_SET}\`).`],
    ]);
  });

  it("a central region added is a strengthening", () => {
    const added = resourceChange(centralAddress("eu-central-1"), null, centralInstance("eu-central-1"));
    expect(kindAndMessage(findingsOf(added))).toEqual([
      ["strengthening", `Region \`eu-central-1\` of this account forwards its events to us-east-1 (StackSet \`${CENTRAL_SET}\`).`],
    ]);
  });

  it("the central StackSet deleted is one weakening that names every region, not one per instance", () => {
    const findings = findingsOf(
      resourceChange(CENTRAL_SET_ADDRESS, centralStackSet(), null),
      resourceChange(centralAddress("eu-central-1"), centralInstance("eu-central-1"), null),
      resourceChange(centralAddress("eu-west-2"), centralInstance("eu-west-2"), null),
    );
    expect(kindAndMessage(findings)).toEqual([
      ["weakening", `Regions \`eu-central-1\`, \`eu-west-2\` of this account stop forwarding their events to us-east-1: StackSet \`${CENTRAL_SET}\` is deleted.`],
    ]);
  });
});

describe("the whole organization", () => {
  const wholeCoverage = (gone: boolean): ResourceChange[] => {
    const side = <T>(value: T): [T | null, T | null] => (gone ? [value, null] : [null, value]);
    return [
      resourceChange(MEMBER_SET_ADDRESS, ...side(memberStackSet())),
      resourceChange(memberAddress("us-east-1"), ...side(memberInstance("us-east-1", [OU_A, OU_B]))),
      resourceChange(memberAddress("eu-west-1"), ...side(memberInstance("eu-west-1", [OU_A, OU_B]))),
    ];
  };

  it("the member StackSet deleted is one weakening that names the OUs and regions, not one per instance", () => {
    expect(kindAndMessage(findingsOf(...wholeCoverage(true)))).toEqual([
      [
        "weakening",
        `Organization coverage is removed: StackSet \`${MEMBER_SET}\` is deleted, so the accounts of OU \`${OU_A}\`, OU \`${OU_B}\` stop forwarding their events from \`eu-west-1\`, \`us-east-1\`.`,
      ],
    ]);
  });

  it("the member StackSet created is one strengthening", () => {
    expect(kindAndMessage(findingsOf(...wholeCoverage(false)))).toEqual([
      [
        "strengthening",
        `Organization coverage is added: StackSet \`${MEMBER_SET}\` makes the accounts of OU \`${OU_A}\`, OU \`${OU_B}\` forward their events from \`eu-west-1\`, \`us-east-1\`.`,
      ],
    ]);
  });
});

describe("the central bus permission", () => {
  it("removed is a weakening that names the organization", () => {
    const removed = resourceChange(PERMISSION_ADDRESS, busPermission(), null);
    expect(kindAndMessage(findingsOf(removed))).toEqual([
      [
        "weakening",
        "Bus `default` no longer admits events from organization `o-a1b2c3d4e5` (statement `org-watch-organization-members` removed): events forwarded from those accounts are refused and raise no alert.",
      ],
    ]);
  });

  it("added is a strengthening", () => {
    const added = resourceChange(PERMISSION_ADDRESS, null, busPermission());
    expect(kindAndMessage(findingsOf(added))).toEqual([
      ["strengthening", "Bus `default` admits events from organization `o-a1b2c3d4e5` (statement `org-watch-organization-members`)."],
    ]);
  });

  it("losing its organization condition is a weakening: anyone could put forged events on the bus", () => {
    const opened = busPermission();
    opened.condition = [];
    const findings = findingsOf(resourceChange(PERMISSION_ADDRESS, busPermission(), opened));
    expect(findings).toEqual([
      expect.objectContaining({ kind: "weakening", area: "policies", message: expect.stringMatching(/^Bus `default` now admits events from anyone \(`\*`\) with no condition/) }),
    ]);
  });
});

describe("create_trail", () => {
  const withCreateTrail = (value: boolean, ...changes: ResourceChange[]) =>
    summarizePlan({ ...planOf(...changes), variables: { create_trail: { value } } });

  it("switched off, the trail deleted is a weakening that names the setting and what alerts now rely on", () => {
    const trail = deployed("aws_cloudtrail");
    const deleted = resourceChange("aws_cloudtrail.audit_trail_trail[0]", trail.change.before, null);
    const summary = withCreateTrail(false, deleted);
    expect(summary.findings).toEqual([
      expect.objectContaining({
        kind: "weakening",
        area: "trail",
        message: expect.stringMatching(/^Trail `[^`]+` is deleted \(`create_trail = false`\): alerts now depend on an organization trail/),
      }),
    ]);
  });

  it("switched on, the new trail is a strengthening", () => {
    const trail = deployed("aws_cloudtrail");
    const created = resourceChange("aws_cloudtrail.audit_trail_trail[0]", null, trail.change.after);
    expect(kindAndMessage(withCreateTrail(true, created).findings)).toEqual([["strengthening", expect.stringMatching(/^New trail `[^`]+`: multi-region/)]]);
  });

  it("the upgrade from v0.1.0 moves the trail to [0]: not a removal, whether the move is a no-op or an update", () => {
    const trail = deployed("aws_cloudtrail");
    const move = { previousAddress: "aws_cloudtrail.audit_trail_trail" };
    const noOp = resourceChange("aws_cloudtrail.audit_trail_trail[0]", trail.change.before, trail.change.after, move);
    const updated = resourceChange("aws_cloudtrail.audit_trail_trail[0]", trail.change.before, { ...trail.change.after, tags: { moved: "yes" } }, move);
    for (const rc of [noOp, updated]) {
      const summary = withCreateTrail(true, rc);
      expect(summary.weakened).toBe(false);
      expect(summary.findings).toEqual([]);
      expect(summary.counts.destroy).toBe(0);
    }
  });
});
