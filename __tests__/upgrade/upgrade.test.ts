/**
 * Upgrades never destroy: a deployment made with a released version, applied
 * on the emulator from that release's own synthesized JSON and asset
 * (`__tests__/fixtures/upgrade/`), planned over by the current code. The log
 * buckets hold audit logs and the rules are the monitoring: no resource may
 * be deleted or replaced, whatever moved in the code. Keep this test for
 * every change; add a release folder when one is tagged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PRESET_NAMES } from "../../src/detection";
import { startMoto, type MotoServer } from "../support/moto";
import { STACK_NAME, synthApp } from "../support/synth";
import { resourcesOfState, type StateResource } from "../../scripts/lib/state";
import { localStatePath, Terraform, type PlanJson } from "../support/terraform";
import { requireTools } from "../support/tools";

const HOME_REGION = "eu-west-1";
const RELEASES = ["v0.1.0"];
/** Every optional resource of the release on: all presets (forwarding too), suppression, two recipients, the trail's Logs copy. */
const VARS = {
  application_name: "upgrade-check",
  sns_endpoint: ["security@example.com", "oncall@example.com"],
  alert_presets: PRESET_NAMES,
  ignored_principal_arns: ["arn:aws:iam::123456789012:role/ci-deploy"],
  trail_cloudwatch_logs_enabled: true,
};

const missing = requireTools(["terraform", "moto_server"], "the upgrade test");

describe.skipIf(missing.length > 0).each(RELEASES)("upgrading a deployment made with %s", (release) => {
  let moto: MotoServer;
  let applied: StateResource[];
  let upgrade: PlanJson;

  beforeAll(async () => {
    moto = await startMoto();
    const work = mkdtempSync(join(tmpdir(), `cta-upgrade-${release}-`));
    const varFile = join(work, "upgrade.tfvars.json");
    writeFileSync(varFile, JSON.stringify(VARS));

    // The release, exactly as it was synthesized; its local backend keeps state at <root>/terraform.<stack>.tfstate.
    const oldRoot = join(work, "old");
    const oldStack = join(oldRoot, "cdktf.out", "stacks", STACK_NAME);
    const fixture = join(__dirname, "..", "fixtures", "upgrade", release);
    cpSync(join(fixture, "cdk.tf.json"), join(oldStack, "cdk.tf.json"));
    // The release's asset is kept as the bundle it zipped (no zip in git); zipped here where its cdk.tf.json expects it.
    const config = JSON.parse(readFileSync(join(fixture, "cdk.tf.json"), "utf8"));
    const zip = join(oldStack, Object.values(config.resource.aws_lambda_function as Record<string, { filename: string }>)[0]!.filename);
    mkdirSync(dirname(zip), { recursive: true });
    const zipped = spawnSync("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w'); z.write(sys.argv[2], 'index.mjs'); z.close()", zip, join(fixture, "asset", "index.mjs")]);
    if (zipped.status !== 0) throw new Error(`could not zip the ${release} asset: ${zipped.stderr}`);
    const old = new Terraform(oldStack, moto.env(HOME_REGION));
    await old.init();
    const apply = ["apply", "-auto-approve", "-input=false", "-no-color", `-var-file=${varFile}`];
    // v0.1.0 puts the trail's Logs delivery policy on its role by name, with no dependency, so its
    // first apply can race (NoSuchEntity); a second apply completes it, as it would for a user.
    if ((await old.run(apply)).code !== 0) await old.ok(apply);
    applied = resourcesOfState(readFileSync(localStatePath(oldStack), "utf8"));

    // The current code over the same state.
    const newRoot = join(work, "new");
    mkdirSync(newRoot);
    const { stackDir } = synthApp({}, join(newRoot, "cdktf.out"));
    cpSync(join(oldRoot, `terraform.${STACK_NAME}.tfstate`), join(newRoot, `terraform.${STACK_NAME}.tfstate`));
    const current = new Terraform(stackDir, moto.env(HOME_REGION));
    await current.init();
    upgrade = await current.planJson(varFile, "upgrade.tfplan");
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it("deployed the release's resources first (the state is not empty)", () => {
    expect(applied.filter((r) => r.type === "aws_s3_bucket")).toHaveLength(2);
    expect(applied.length).toBeGreaterThan(60);
  });

  it("plans no delete and no replacement of any resource", () => {
    const destructive = (upgrade.resource_changes ?? [])
      .filter((c: PlanJson) => c.change.actions.includes("delete"))
      .map((c: PlanJson) => `${c.address}: ${c.change.actions.join("+")}${c.action_reason ? ` (${c.action_reason})` : ""}`);
    expect(destructive).toEqual([]);
  });

  it("keeps every resource of the release at an address the current code still manages (or moves)", () => {
    const before = applied.map((r) => r.address);
    const after = new Set<string>(
      (upgrade.resource_changes ?? []).flatMap((c: PlanJson) => [c.address, c.previous_address].filter(Boolean)),
    );
    expect(before.filter((address) => !after.has(address))).toEqual([]);
  });

  it("leaves the trail and both log buckets untouched", () => {
    const audit = (upgrade.resource_changes ?? []).filter((c: PlanJson) =>
      ["aws_cloudtrail", "aws_s3_bucket", "aws_s3_bucket_policy", "aws_s3_bucket_versioning"].includes(c.type),
    );
    expect(audit.length).toBeGreaterThanOrEqual(6);
    for (const change of audit) expect(change.change.actions, change.address).toEqual(["no-op"]);
  });
});
