/**
 * Every AWS service interaction the deployment depends on, decided by an IAM
 * policy evaluator (@cloud-copilot/iam-simulate) against the policies as
 * planned: `terraform plan` against moto (its account id, the real AWS
 * provider), `terraform show -json`, deferred documents resolved as
 * `planned-policies.ts` explains. moto accepts any policy; this is what
 * catches a wrong condition key or a missing action before a real deploy.
 *
 * Configuration: the defaults plus `trail_cloudwatch_logs_enabled = true`
 * (so the trail's CloudWatch Logs path is simulated too) and an organization
 * (so members' PutEvents on the central bus is simulated), home region
 * eu-west-1 (so forwarding exists). One plan, in beforeAll.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateOrganizationCommand, ListRootsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { motoAvailable, startMoto, type MotoServer } from "../support/moto";
import { synthApp } from "../support/synth";
import { Terraform, type PlanJson } from "../support/terraform";
import { decide } from "./iam-simulation";
import { interactions, type Outcome } from "./interactions";
import { PlannedPolicies, renderedAndRebuilt } from "./planned-policies";
import { readmeTable, table, writeReadmeTable } from "./readme-table";

const HOME_REGION = "eu-west-1";
const ACCOUNT = "123456789012"; // moto's default account

const missing = [...(motoAvailable() ? [] : ["moto (python3 -m moto.server)"])];
if (missing.length > 0) console.warn(`\n!!! POLICY SIMULATION SKIPPED: ${missing.join(", ")} not available.\n`);

describe.skipIf(missing.length > 0)("policy simulation against the planned policies", () => {
  let moto: MotoServer;
  let plan: PlanJson;
  let planned: PlannedPolicies;
  let outcomes: Outcome[];

  beforeAll(async () => {
    moto = await startMoto();
    const { stackDir, json } = synthApp();
    const terraform = new Terraform(stackDir, moto.env(HOME_REGION));
    await terraform.init();
    const varFile = join(mkdtempSync(join(tmpdir(), "cta-policy-sim-")), "sim.tfvars.json");
    // An organization too (the plan reads it), so that members' access to the central bus is simulated.
    const orgs = new OrganizationsClient({ region: "us-east-1", endpoint: moto.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    const { Organization } = await orgs.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    const { Roots = [] } = await orgs.send(new ListRootsCommand({}));
    writeFileSync(
      varFile,
      JSON.stringify({
        trail_cloudwatch_logs_enabled: true,
        sns_endpoint: ["security@example.com"],
        organization_id: Organization!.Id,
        organization_unit_ids: [Roots[0]!.Id],
      }),
    );
    plan = await terraform.planJson(varFile, "policy-sim.tfplan");
    planned = new PlannedPolicies(plan, JSON.parse(json));
    outcomes = [];
    for (const interaction of interactions(planned)) {
      const allowed = await Promise.all(interaction.allowed.map((a) => decide(a.request)));
      const denied = await Promise.all(interaction.denied.map((a) => decide(a.request)));
      outcomes.push({ interaction, allowed, denied });
    }
  }, 180_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it("plans on moto's account, so every ARN below is this deployment's", () => {
    expect(planned.account).toBe(ACCOUNT);
    expect(planned.homeRegion).toBe(HOME_REGION);
  });

  it("reads policies as Terraform renders them: for each document rendered at plan, rebuilding it from its statements gives the same policy", () => {
    const checked = renderedAndRebuilt(planned, plan);
    expect(checked.length).toBeGreaterThanOrEqual(6);
    for (const { address, rendered, rebuilt } of checked) expect(sorted(rebuilt), address).toEqual(sorted(rendered));
  });

  it("every service interaction is allowed", () => {
    const refused = outcomes.flatMap((o) =>
      o.allowed.flatMap((d, i) => (d === "Allowed" ? [] : [`${o.interaction.name} (${o.interaction.request}) for ${o.interaction.allowed[i]!.label}: ${d}`])),
    );
    expect(refused).toEqual([]);
    expect(outcomes.length).toBe(18); // 17 for one account, and organization members → the central bus
  });

  it("the same request from another account, trail, rule, alarm, bucket or log group is denied", () => {
    const admitted = outcomes.flatMap((o) =>
      o.denied.flatMap((d, i) => (d === "Allowed" ? [`${o.interaction.name} (${o.interaction.request}) from ${o.interaction.denied[i]!.label}`] : [])),
    );
    expect(admitted).toEqual([]);
    for (const o of outcomes) expect(o.denied.length, o.interaction.name).toBeGreaterThan(0);
  });

  it("the README's Security section shows this table (UPDATE_README=1 rewrites it)", () => {
    const generated = table(outcomes);
    if (process.env.UPDATE_README === "1") writeReadmeTable(generated);
    expect(readmeTable(), "README.md is out of date: run this file with UPDATE_README=1").toBe(generated);
  });
});

/** A policy with every list sorted (Terraform renders set elements in its own order). */
function sorted(policy: unknown): unknown {
  if (Array.isArray(policy)) return policy.map(sorted).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (typeof policy === "object" && policy !== null) return Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, sorted(v)]));
  return policy;
}
