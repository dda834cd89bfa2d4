/**
 * `npm run plan` end to end, against the moto emulator: deploy the defaults
 * (with two subscribers) once, then run the real script (scripts/plan.ts, as
 * a child process) on pull-request-like changes and read what it wrote.
 *
 * Emulator endpoint, dummy credentials and the offline Terraform CLI config
 * reach the script through its environment only, as a CI job's would.
 * Log file validation cannot be turned off through a variable, so that change
 * comes from a Terraform override file dropped next to cdk.tf.json (test only;
 * the product is untouched) and the script plans it with --no-synth.
 *
 * With UPDATE_PLAN_FIXTURES=1 the same deployment also records the unit
 * tests' fixtures (see helpers.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_IAM_EVENTS } from "../../src/stacks/alerting-stack";
import type { PlanJson } from "../../tools/plan-review";
import { MotoServer, motoAvailable, startMoto } from "../support/moto";
import { PROJECT_ROOT, synthApp } from "../support/synth";
import { Terraform, writeCliConfig } from "../support/terraform";
import { overrides, UPDATE_FIXTURES, writeFixture } from "./helpers";

const HOME_REGION = "eu-west-1";
const SUBSCRIBERS = ["security@example.com", "oncall@example.com"];
const REMOVED_EVENTS = ["DeleteUser", "DeleteVirtualMFADevice"];
const ADDED_EVENT = "CreateLoginProfile";
const OVERRIDE_FILE = "zz_test_override.tf.json";

const terraformAvailable = spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;
const missing = [!terraformAvailable && "terraform", !motoAvailable() && "moto_server (pip install 'moto[server]==5.2.1')"].filter(Boolean);
if (missing.length > 0) {
  console.warn(`SKIPPED: npm run plan against the emulator needs ${missing.join(" and ")} on PATH`);
}

interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly out: string;
  readonly summary: string;
  readonly plan: PlanJson;
}

describe.skipIf(missing.length > 0)("npm run plan against the emulator", () => {
  let moto: MotoServer;
  let cdktfOut: string;
  let stackDir: string;
  let synthJson: unknown;
  let work: string;
  let terraform: Terraform;
  let cliConfig: string;

  const tfvars = (name: string, vars: Record<string, unknown>): string => {
    const file = join(work, name);
    writeFileSync(file, JSON.stringify(vars, null, 2));
    return file;
  };

  /** Runs scripts/plan.ts as `npm run plan` would (tsx), with the emulator and the offline CLI config in its environment. */
  const runScript = (name: string, args: string[]): Promise<ScriptRun> => {
    const out = join(work, name);
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "scripts", "plan.ts"), "--output", cdktfOut, "--out", out, ...args], {
        cwd: PROJECT_ROOT,
        // INIT_CWD: the script reads terraform.tfvars from where npm was started, as Terraform would; a developer's own must not leak in.
        env: { ...process.env, ...moto.env(HOME_REGION), TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", INIT_CWD: work },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.once("error", reject);
      child.once("close", (code) => {
        const summaryFile = join(out, "plan-summary.md");
        if (!existsSync(summaryFile)) {
          reject(new Error(`scripts/plan.ts exited ${code} without a summary:\n${stderr.slice(-4000)}`));
          return;
        }
        resolve({
          code: code ?? -1,
          stdout,
          stderr,
          out,
          summary: readFileSync(summaryFile, "utf8"),
          plan: JSON.parse(readFileSync(join(out, "plan.json"), "utf8")) as PlanJson,
        });
      });
    });
  };

  const withOverride = async <T>(override: unknown, body: () => Promise<T>): Promise<T> => {
    const file = join(stackDir, OVERRIDE_FILE);
    writeFileSync(file, JSON.stringify(override, null, 2));
    try {
      return await body();
    } finally {
      rmSync(file, { force: true });
    }
  };

  beforeAll(async () => {
    moto = await startMoto();
    const synth = synthApp();
    cdktfOut = synth.outdir;
    stackDir = synth.stackDir;
    synthJson = JSON.parse(synth.json);
    work = mkdtempSync(join(tmpdir(), "cta-plan-review-"));
    cliConfig = writeCliConfig();
    terraform = new Terraform(stackDir, moto.env(HOME_REGION));
    await terraform.init();
    const base = tfvars("base.tfvars.json", { sns_endpoint: SUBSCRIBERS });
    if (UPDATE_FIXTURES) writeFixture("initial", await terraform.planJson(base, "initial.tfplan"));
    await terraform.ok(["apply", "-auto-approve", "-input=false", "-no-color", `-var-file=${base}`]);
  });

  afterAll(async () => {
    await moto?.stop();
    if (cdktfOut) rmSync(dirname(cdktfOut), { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe("a pull request that drops two events and a subscriber and turns off log file validation", () => {
    let run: ScriptRun;
    beforeAll(async () => {
      const vars = tfvars("weakened.tfvars.json", {
        sns_endpoint: [SUBSCRIBERS[0]],
        iam_events: DEFAULT_IAM_EVENTS.filter((e) => !REMOVED_EVENTS.includes(e)),
      });
      run = await withOverride(overrides.logValidationOff(synthJson), () =>
        runScript("weakened", ["--no-synth", "--var-file", vars, "--fail-on-weakening"]),
      );
      if (UPDATE_FIXTURES) writeFixture("weakened", run.plan);
    });

    it("exits 2 with --fail-on-weakening, and says why", () => {
      expect(run.code, run.stderr.slice(-2000)).toBe(2);
      expect(run.stderr).toContain("weakens monitoring");
    });

    it("marks the weakening at the top of plan-summary.md", () => {
      const [title, , banner] = run.summary.split("\n");
      expect(title).toBe("## Terraform plan review");
      expect(banner).toMatch(/^> \*\*⚠️ This change weakens monitoring\*\* \(\d+ findings\)/);
    });

    it("names each removed event as a weakening", () => {
      const weakened = section(run.summary, "⚠️ Weakened");
      for (const event of REMOVED_EVENTS) expect(weakened).toContain(`\`${event}\``);
      expect(weakened).toMatch(/Stops alerting on `DeleteUser`, `DeleteVirtualMFADevice`/);
    });

    it("names the removed subscriber as a weakening", () => {
      expect(section(run.summary, "⚠️ Weakened")).toContain("Subscriber removed: `oncall@example.com` (email)");
    });

    it("names log file validation turned off as a weakening", () => {
      expect(section(run.summary, "⚠️ Weakened")).toMatch(/Trail `[^`]+` no longer validates log files/);
    });

    it("writes the plain plan and the JSON plan next to the summary", () => {
      const text = readFileSync(join(run.out, "plan.txt"), "utf8");
      expect(text).toMatch(/Plan: 0 to add, \d+ to change, 1 to destroy\./);
      expect(text).toContain("enable_log_file_validation");
      expect(run.plan.format_version).toMatch(/^1\./);
      expect(run.stdout).toBe(run.summary);
    });
  });

  describe("a pull request that only adds an event", () => {
    let run: ScriptRun;
    beforeAll(async () => {
      const vars = tfvars("added.tfvars.json", { sns_endpoint: SUBSCRIBERS, iam_events: [...DEFAULT_IAM_EVENTS, ADDED_EVENT] });
      // This run synthesizes again (the script's default path) into the deployed stack's folder.
      run = await runScript("added", ["--var-file", vars, "--fail-on-weakening"]);
      if (UPDATE_FIXTURES) writeFixture("added-event", run.plan);
    });

    it("exits 0 with --fail-on-weakening", () => {
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
    });

    it("reports the added event as a strengthening and finds no weakening", () => {
      expect(run.summary).toContain("> No weakening of monitoring found.");
      expect(run.summary).not.toContain("⚠️ Weakened");
      expect(section(run.summary, "✅ Strengthened")).toContain(`Starts alerting on \`${ADDED_EVENT}\``);
    });
  });

  describe.runIf(UPDATE_FIXTURES)("recording the remaining fixtures", () => {
    it("records an unchanged plan, an opened bucket and a destroy plan", async () => {
      const base = tfvars("base.tfvars.json", { sns_endpoint: SUBSCRIBERS });
      writeFixture("unchanged", await terraform.planJson(base, "unchanged.tfplan"));
      writeFixture(
        "bucket-opened",
        await withOverride(overrides.bucketOpened(synthJson), () => terraform.planJson(base, "bucket-opened.tfplan")),
      );
      await terraform.ok(["plan", "-destroy", "-input=false", "-no-color", "-lock=false", "-out=destroy.tfplan", `-var-file=${base}`]);
      writeFixture("destroy", JSON.parse(await terraform.ok(["show", "-json", "-no-color", "destroy.tfplan"])) as PlanJson);
    });
  });
});

/** The bullet list under a bold group heading of the summary. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`**${heading}**`);
  if (start < 0) return "";
  const end = markdown.indexOf("\n\n", markdown.indexOf("\n\n", start) + 2);
  return markdown.slice(start, end < 0 ? undefined : end);
}
