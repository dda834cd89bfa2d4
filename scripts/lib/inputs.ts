/**
 * Input mistakes, caught before Terraform plans anything (and before any of
 * its output): names that are not declared variables, then values that fail
 * a variable's type or validation. Both print only the errors, each with the
 * variable named on its first line.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { declaredVariableNames } from "../../src/config/declared-variables";
import { findUndeclaredVariables, parseDiagnostics, plainOutput, variableOf, withVariableInHeadline } from "../../tools/terraform-inputs";
import { shownPath, UserError } from "./project";
import { TerraformCli } from "./terraform-cli";

/** One or more input mistakes; the message is the diagnostics, ready to print. */
export class InputMistakes extends UserError {
  constructor(readonly diagnostics: readonly string[]) {
    super(diagnostics.join("\n\n"));
  }
}

/**
 * The files Terraform itself loads automatically from the folder it runs in
 * (terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars[.json] in
 * name order), looked up where the user ran the command, as they would
 * expect from `terraform plan` there. Explicit --var-file files come after,
 * so they win, as in Terraform.
 * https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence
 */
export function automaticVarFiles(dir: string): string[] {
  const names = readdirSync(dir);
  const auto = names.filter((n) => n.endsWith(".auto.tfvars") || n.endsWith(".auto.tfvars.json")).sort();
  return [...["terraform.tfvars", "terraform.tfvars.json"].filter((n) => names.includes(n)), ...auto].map((n) => join(dir, n));
}

/** Names in the files and TF_VAR_* that the stack does not declare. Needs no synthesis and no Terraform. */
export function checkVariableNames(varFiles: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const files = varFiles.map((file) => ({ shownPath: shownPath(file), text: readFileSync(file, "utf8") }));
  const problems = findUndeclaredVariables(declaredVariableNames(), files, env);
  if (problems.length > 0) throw new InputMistakes(problems.map((p) => p.message));
}

/**
 * Values Terraform would reject: the synthesized `variable` blocks alone, in a
 * scratch folder, planned with the same files and environment. With no
 * provider and no resource this takes a tenth of a second, needs no
 * `terraform init` and no credentials, and its only output is about the
 * variables.
 */
export async function checkVariableValues(stackDir: string, varFiles: readonly string[]): Promise<void> {
  const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { variable?: Record<string, unknown> };
  const scratch = mkdtempSync(join(tmpdir(), "cta-variables-"));
  try {
    writeFileSync(join(scratch, "variables.tf.json"), JSON.stringify({ variable: stack.variable ?? {} }, null, 2));
    // A selected workspace (TF_WORKSPACE) belongs to the real backend, not to this scratch folder.
    const { TF_WORKSPACE: _workspace, ...env } = process.env;
    const terraform = new TerraformCli(scratch, { interactive: false, env });
    const result = await terraform.run(["plan", "-lock=false", "-refresh=false", ...varFiles.map((f) => `-var-file=${f}`)], { capture: true });
    // Terraform writes errors to stderr, warnings to stdout.
    const errors = parseDiagnostics(result.stderr).filter((d) => d.severity === "Error");
    const warnings = parseDiagnostics(result.stdout).filter((d) => d.severity === "Warning");
    const messages = [
      ...errors.map((d, i) => {
        const variable = variableOf(d);
        // One hint per variable, after its last diagnostic (a bad TF_VAR_ value gives two).
        const last = variable === undefined || errors.slice(i + 1).every((later) => variableOf(later) !== variable);
        return explain(d.text, variable, last, (name) => withVariableInHeadline(d, name));
      }),
      // Belt and braces: a name the file scan missed, which Terraform saw.
      ...warnings
        .filter((d) => d.summary.startsWith("Value for undeclared variable"))
        .map((d) => `Error: Undeclared variable "${/named "([^"]+)"/.exec(d.text)?.[1] ?? "?"}"\n${d.text.split("\n").slice(1).join("\n")}`),
    ];
    if (messages.length > 0) throw new InputMistakes(messages.map((m) => shownPaths(m, varFiles)));
    if (result.code !== 0) throw new UserError(`checking the variables failed (terraform exit ${result.code}):\n${plainOutput(result.stderr)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One error diagnostic, its first line naming the variable, pointing at the declaration rather than at the scratch file. */
function explain(text: string, variable: string | undefined, hint: boolean, headline: (variable: string) => string): string {
  if (variable === undefined) return text;
  let out = headline(variable).replace(
    /^This was checked by the validation rule at variables\.tf\.json:.*$/m,
    `This was checked by the validation rule of variable "${variable}" (src/config/variables.ts).`,
  );
  if (hint && out.includes(`<value for var.${variable}>`)) {
    out += [
      "",
      "",
      `Values from TF_VAR_${variable} (and -var) are read as HCL: quote a string,`,
      `for example TF_VAR_${variable}='"security@example.com"', and write a list`,
      'as ["a", "b"].',
    ].join("\n");
  }
  return out;
}

/** Absolute var-file paths replaced by the paths as the user wrote them. */
function shownPaths(text: string, varFiles: readonly string[]): string {
  return varFiles.reduce((out, file) => out.split(file).join(shownPath(file)), text);
}

/** A --var-file the user named must exist (Terraform's own message for a missing one is about the stack's folder). */
export function requireFiles(files: readonly string[]): void {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new UserError(`--var-file ${missing.map(shownPath).join(", ")}: no such file`);
}
