/**
 * The steps deploy, destroy and plan take before Terraform plans: input
 * names checked, the stack synthesized, input values checked, `terraform
 * init`. The checks come first and print nothing when they pass, so an input
 * mistake is the first (and only) thing on the screen.
 */
import type { CommonOptions } from "./cli";
import { describeFiles, requireConfirmable } from "./cli";
import { checkVariableNames, checkVariableValues } from "./inputs";
import { shownPath, stackDirectory } from "./project";
import { synthesize } from "./synthesize";
import { TerraformCli, TerraformError } from "./terraform-cli";

export interface PreparedStack {
  readonly stackDir: string;
  readonly terraform: TerraformCli;
  /** `-var-file=...` for every variable definitions file, in order. */
  readonly varArgs: string[];
}

export async function prepareStack(
  common: CommonOptions,
  log: (message: string) => void,
  options: { readonly sink?: NodeJS.WritableStream; readonly confirmable?: boolean } = {},
): Promise<PreparedStack> {
  checkVariableNames(common.varFiles);
  const stackDir = common.synth ? await synthesize(common.cdktfOut) : stackDirectory(common.cdktfOut);
  await checkVariableValues(stackDir, common.varFiles);
  // After the input checks, so a mistake is reported whatever the flags; before Terraform starts working.
  if (options.confirmable) requireConfirmable(common);

  log(`variables from: ${describeFiles(common.varFiles)}`);
  log(`terraform init in ${shownPath(stackDir)}`);
  const terraform = new TerraformCli(stackDir);
  const init = await terraform.run(["init"], { sink: options.sink });
  if (init.code !== 0) throw new TerraformError(["init"], init);
  return { stackDir, terraform, varArgs: common.varFiles.map((file) => `-var-file=${file}`) };
}
