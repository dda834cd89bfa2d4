/**
 * `npm run plan -- [--var-file FILE]... [--out DIR] [--fail-on-weakening] [--output DIR] [--no-synth]`
 *
 * Removes the previous run's outputs, checks the inputs as `npm run deploy`
 * does (an undeclared variable name or a rejected value stops here, with only
 * the errors printed), synthesizes the stack, runs `terraform init` (with the
 * backend the synthesized stack declares: local state, or S3 from
 * TF_STATE_BUCKET), `terraform plan -out`, and writes to the output folder:
 *
 *   plan.txt         the plan as `terraform show` prints it
 *   plan.json        `terraform show -json` of the same plan
 *   plan-summary.md  counts, changed resources and the monitoring impact (tools/plan-review)
 *
 * The summary goes to stdout; Terraform's output and progress go to stderr.
 * Terraform runs with the caller's own configuration and credentials.
 *
 * Exit codes: 0 planned, 2 weakening found with --fail-on-weakening, 1 error.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderMarkdown, summarizePlan, type PlanJson } from "../tools/plan-review";
import { COMMON_USAGE, EXIT, parseOptions, runMain } from "./lib/cli";
import { prepareStack } from "./lib/prepare";
import { fromCaller, PROJECT_ROOT, shownPath } from "./lib/project";
import { TerraformError } from "./lib/terraform-cli";

const WEAKENED = 2;

const USAGE = `usage: npm run plan -- [--var-file FILE]... [--out DIR] [--fail-on-weakening] [--output DIR] [--no-synth]
  --out DIR             where plan.txt, plan.json and plan-summary.md go (default: plan-out/)
  --fail-on-weakening   exit 2 when the change weakens monitoring
${COMMON_USAGE}`;

/** What this script writes into the output folder; removed first, so a failed run leaves no stale summary to read. */
const OUTPUTS = ["plan.txt", "plan.json", "plan-summary.md", "plan.tfplan", "failed-plan.txt"];

const log = (message: string): void => void process.stderr.write(`plan: ${message}\n`);

runMain("plan", USAGE, async () => {
  const { common, values } = parseOptions(
    process.argv.slice(2),
    { out: { type: "string" }, "fail-on-weakening": { type: "boolean", default: false } },
    USAGE,
    { confirmable: false },
  );
  const out = typeof values.out === "string" ? fromCaller(values.out) : join(PROJECT_ROOT, "plan-out");
  for (const name of OUTPUTS) rmSync(join(out, name), { force: true });

  const { terraform, varArgs } = await prepareStack(common, log, { sink: process.stderr });
  mkdirSync(out, { recursive: true });
  const planFile = join(out, "plan.tfplan");
  const plan = await terraform.run(["plan", `-out=${planFile}`, ...varArgs], { holdPlan: true, sink: process.stderr });
  if (plan.code !== 0) {
    const partial = join(out, "failed-plan.txt");
    writeFileSync(partial, plan.stdout);
    throw new TerraformError(["plan"], plan, `the partial plan Terraform printed before failing is in ${shownPath(partial)}`);
  }

  const text = await terraform.output(["show", "-no-color", planFile]);
  const json = await terraform.output(["show", "-json", planFile]);
  const summary = summarizePlan(JSON.parse(json) as PlanJson);
  const markdown = renderMarkdown(summary);
  writeFileSync(join(out, "plan.txt"), text);
  writeFileSync(join(out, "plan.json"), json);
  writeFileSync(join(out, "plan-summary.md"), markdown);
  process.stdout.write(markdown);
  log(`wrote plan.txt, plan.json and plan-summary.md to ${shownPath(out)}`);

  if (summary.weakened && values["fail-on-weakening"] === true) {
    const count = summary.findings.filter((f) => f.kind === "weakening").length;
    log(`this change weakens monitoring (${count} findings): failing as asked by --fail-on-weakening`);
    return WEAKENED;
  }
  return EXIT.ok;
});
