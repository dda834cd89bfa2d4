/**
 * Input mistakes through the real commands (`npm run deploy`, `plan`,
 * `destroy`), as a user makes them: each stops before Terraform plans
 * anything, exits non-zero, and the first line of output names the variable.
 *
 * No AWS and no emulator: the checks run before `terraform init`, so these
 * runs need only the Terraform CLI. All but one use a stack synthesized once
 * (--no-synth); the README's examples run the full command.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTools } from "../support/tools";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cleanEnv, runNpmScript, withoutNpmBanner, type ScriptRun } from "../support/npm-script";
import { PROJECT_ROOT, synthApp } from "../support/synth";
import { writeCliConfig } from "../support/terraform";

// On PATH, not `terraform version`: a busy machine can fail to spawn it, which must not turn into a silent skip.
const terraformAvailable = requireTools(["terraform"], "input mistakes through npm run deploy").length === 0;

describe.skipIf(!terraformAvailable)("input mistakes stop deploy, plan and destroy before anything is planned", () => {
  let work: string;
  let cdktfOut: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "cta-inputs-"));
    cdktfOut = synthApp().outdir;
    env = cleanEnv({ TF_CLI_CONFIG_FILE: writeCliConfig() });
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (cdktfOut) rmSync(dirname(cdktfOut), { recursive: true, force: true });
  });

  /** Runs `npm run <script> -- --no-synth --output <synthesized> <args>` from a folder holding `files`. */
  const attempt = async (
    script: string,
    files: Record<string, string>,
    args: string[],
    extraEnv: Record<string, string> = {},
  ): Promise<ScriptRun & { readonly firstLine: string }> => {
    const dir = mkdtempSync(join(work, `${script}-`));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const run = await runNpmScript(script, ["--no-synth", "--output", cdktfOut, ...args], { cwd: dir, env: { ...env, ...extraEnv } });
    return { ...run, firstLine: run.stderr.split("\n")[0]! };
  };

  /** Nothing but npm's banner on stdout: no init, no plan. */
  const expectNothingPlanned = (run: ScriptRun): void => {
    expect(withoutNpmBanner(run.stdout)).toBe("");
    expect(run.stderr).not.toMatch(/Initializing|Refreshing|Plan:/);
    expect(run.stderr.trimEnd().split("\n").at(-1)).toMatch(/^(deploy|plan|destroy): \d+ input mistakes?; nothing was planned or changed\.$/);
  };

  it("a misspelt variable in terraform.tfvars (HCL) names it and the declared one it resembles", async () => {
    const run = await attempt("deploy", { "terraform.tfvars": 'application_name = "acme"\nsns_endpoints = ["security@example.com"]\n' }, ["--auto-approve"]);
    expect(run.code).toBe(1);
    expect(run.firstLine).toBe('Error: Undeclared variable "sns_endpoints" (did you mean "sns_endpoint"?)');
    expect(run.stderr).toContain("  on terraform.tfvars line 2:");
    expectNothingPlanned(run);
  });

  it("a misspelt variable in a .tfvars.json file given with --var-file", async () => {
    const run = await attempt("deploy", { "prod.tfvars.json": JSON.stringify({ iam_event: ["CreateUser"] }, null, 2) }, ["--auto-approve", "--var-file", "prod.tfvars.json"]);
    expect(run.code).toBe(1);
    expect(run.firstLine).toBe('Error: Undeclared variable "iam_event" (did you mean "iam_events"?)');
    expect(run.stderr).toContain("  on prod.tfvars.json line 2:");
    expectNothingPlanned(run);
  });

  it("a misspelt TF_VAR_ environment variable", async () => {
    const run = await attempt("deploy", {}, ["--auto-approve"], { TF_VAR_alert_preset: '["console-signin"]' });
    expect(run.code).toBe(1);
    expect(run.firstLine).toBe('Error: Undeclared variable "alert_preset" in TF_VAR_alert_preset (did you mean "alert_presets"?)');
    expectNothingPlanned(run);
  });

  it.each([
    ["an address without @", 'sns_endpoint = ["security.example.com"]', "sns_endpoint", "sns_endpoint must be an email address"],
    ["an empty iam_events", "iam_events = []", "iam_events", "iam_events must list at least one IAM API action"],
    ["an unknown preset", 'alert_presets = ["root-activity", "iam-everything"]', "alert_presets", "alert_presets must contain only known preset names"],
    ["a retention CloudWatch does not offer", "log_retention_days = 42", "log_retention_days", "log_retention_days must be one of the values"],
  ])("%s: only Terraform's error, its first line naming the variable", async (_what, line, variable, message) => {
    const run = await attempt("deploy", { "terraform.tfvars": `${line}\n` }, ["--auto-approve"]);
    expect(run.code).toBe(1);
    expect(run.firstLine).toBe(`Error: Invalid value for variable "${variable}"`);
    expect(run.stderr).toContain(`   1: ${line}`);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`This was checked by the validation rule of variable "${variable}" (src/config/variables.ts).`);
    expect(run.stderr).not.toContain("variables.tf.json");
    expectNothingPlanned(run);
  });

  it("an unquoted TF_VAR_sns_endpoint: Terraform's parse errors, named, with how to quote it", async () => {
    const run = await attempt("deploy", {}, ["--auto-approve"], { TF_VAR_sns_endpoint: "security@example.com" });
    expect(run.code).toBe(1);
    expect(run.firstLine).toBe('Error: Invalid character (variable "sns_endpoint")');
    expect(run.stderr).toContain(`TF_VAR_sns_endpoint='"security@example.com"'`);
    expectNothingPlanned(run);
  });

  it("without a terminal and without --auto-approve, an input mistake is still what is reported", async () => {
    const run = await attempt("deploy", { "terraform.tfvars": 'sns_endpoints = ["a@example.com"]\n' }, []);
    expect(run.code).toBe(1);
    expect(run.firstLine).toMatch(/^Error: Undeclared variable "sns_endpoints"/);
  });

  it("npm run plan: the same check, and no stale summary left from an earlier run", async () => {
    // Prepare: what a previous successful run left.
    const out = join(work, "plan-out");
    mkdirSync(out, { recursive: true });
    for (const name of ["plan-summary.md", "plan.json", "plan.txt"]) writeFileSync(join(out, name), "from an earlier run\n");

    // Act
    const run = await attempt("plan", { "terraform.tfvars": 'sns_endpoints = ["a@example.com"]\n' }, ["--out", out]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.firstLine).toBe('Error: Undeclared variable "sns_endpoints" (did you mean "sns_endpoint"?)');
    for (const name of ["plan-summary.md", "plan.json", "plan.txt"]) expect(existsSync(join(out, name)), name).toBe(false);
  });

  it("npm run destroy: the same check", async () => {
    const run = await attempt("destroy", { "terraform.tfvars": 'sns_endpoint = "security.example.com"\n' }, ["--auto-approve"]);
    expect(run.code).toBe(1);
    expect(run.firstLine).toBe('Error: Invalid value for variable "sns_endpoint"');
    expectNothingPlanned(run);
  });

  describe("the README's error examples are what npm run deploy prints", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");

    it.each([
      ["deploy-undeclared-variable", 'application_name = "acme-alerts"\nsns_endpoints = ["security@example.com"]\n'],
      ["deploy-invalid-value", 'application_name = "acme-alerts"\nsns_endpoint = ["security.example.com"]\n'],
    ])("%s", async (marker, tfvars) => {
      // Prepare: the example as the README shows it, `$ command` first.
      const [command, ...shown] = exampleBlock(readme, marker);
      const args = /^\$ npm run deploy(?: -- (.*))?$/.exec(command!)?.[1]?.split(" ") ?? [];
      const dir = mkdtempSync(join(work, "readme-"));
      writeFileSync(join(dir, "terraform.tfvars"), tfvars);

      // Act: the whole command, synthesis included, from the folder holding terraform.tfvars
      // (synthesizing there rather than into the project's cdktf.out, which the output does not show).
      const run = await runNpmScript("deploy", [...args, "--output", "cdktf.out"], { cwd: dir, env });

      // Assess
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd()).toBe(shown.join("\n"));
    });
  });
});

/** The lines of the fenced block that follows `<!-- example: NAME -->` in the README. */
function exampleBlock(readme: string, name: string): string[] {
  const marker = readme.indexOf(`<!-- example: ${name} -->`);
  if (marker < 0) throw new Error(`README.md has no <!-- example: ${name} --> marker`);
  const open = readme.indexOf("```", marker);
  const start = readme.indexOf("\n", open) + 1;
  const end = readme.indexOf("\n```", start);
  return readme.slice(start, end).split("\n");
}
