/**
 * `npm run deploy -- [--var-file FILE]... [--auto-approve] [--output DIR] [--no-synth]`
 *
 * Synthesizes the stack (the app, directly: no CDK for Terraform CLI), checks
 * the inputs, then `terraform init`, `terraform plan -out` and `terraform
 * apply` of that plan in the stack's folder, with Terraform's own output.
 * Terraform uses your CLI configuration (provider mirrors, credentials
 * helpers), your backend (TF_STATE_BUCKET, see README "State") and your AWS
 * credentials, as `terraform apply` would.
 *
 * Input mistakes (a variable name the stack does not declare, a value its
 * validation rejects) stop the run before anything is planned, with only the
 * errors on the screen, the variable named on the first line. A failed plan
 * or apply prints Terraform's error diagnostics in full, then what failed.
 *
 * Exit codes: 0 applied (or nothing to change), 1 error or not confirmed.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COMMON_USAGE, confirm, EXIT, parseOptions, runMain } from "./lib/cli";
import { prepareStack } from "./lib/prepare";
import { shownPath } from "./lib/project";
import { TerraformError } from "./lib/terraform-cli";

const USAGE = `usage: npm run deploy -- [--var-file FILE]... [--auto-approve] [--output DIR] [--no-synth]
  --auto-approve    apply the plan without asking (needed when there is no terminal, e.g. in CI)
${COMMON_USAGE}`;

const log = (message: string): void => void process.stderr.write(`deploy: ${message}\n`);

runMain("deploy", USAGE, async () => {
  const { common } = parseOptions(process.argv.slice(2), {}, USAGE);
  const { stackDir, terraform, varArgs } = await prepareStack(common, log, { confirmable: true });

  const planFile = join(stackDir, "deploy.tfplan");
  try {
    const plan = await terraform.run(["plan", "-detailed-exitcode", `-out=${planFile}`, ...varArgs], { holdPlan: true });
    if (plan.code === 1) {
      const partial = join(stackDir, "failed-plan.txt");
      writeFileSync(partial, plan.stdout);
      throw new TerraformError(["plan"], plan, `the partial plan Terraform printed before failing is in ${shownPath(partial)}`);
    }
    if (plan.code === 0) {
      log("no changes: the deployment matches the configuration.");
      return EXIT.ok;
    }
    if (!common.autoApprove && !(await confirm("Do you want to perform these actions?\n  Terraform will perform the actions described above."))) {
      log("not confirmed; nothing was changed.");
      return EXIT.error;
    }
    const apply = await terraform.run(["apply", planFile]);
    if (apply.code !== 0) throw new TerraformError(["apply"], apply);
    log("applied. Each new address in sns_endpoint gets a subscription confirmation email; alerts reach it once the link is clicked.");
    return EXIT.ok;
  } finally {
    // The saved plan holds variable values (addresses); it is useless once applied or abandoned.
    rmSync(planFile, { force: true });
  }
});
