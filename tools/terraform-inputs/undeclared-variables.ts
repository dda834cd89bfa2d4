/**
 * Names in variable definitions files and `TF_VAR_*` that the stack does not
 * declare. Terraform only warns about the first (and silently ignores the
 * second), then plans with the declared variable's default: a misspelt
 * `sns_endpoints` deploys a stack that emails nobody. Here each one is an
 * error, written like a Terraform diagnostic whose first line names the
 * variable.
 */
import { nearestName } from "./nearest-name";
import { tfvarsKeys } from "./tfvars-keys";

export interface VariableFile {
  /** The path as the user wrote it (shown in messages). */
  readonly shownPath: string;
  readonly text: string;
}

export interface InputProblem {
  /** The variable name as written. */
  readonly variable: string;
  /** A diagnostic: `Error: ...` naming the variable, a blank line, then where and what to do. */
  readonly message: string;
}

const TF_VAR = "TF_VAR_";

/** Prose wrapped at 78 columns, as Terraform wraps its diagnostics. */
function wrap(text: string, width = 78): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line].join("\n");
}

/** `terraformWould`: what Terraform alone does with the value ("would only warn", "would ignore it silently"). */
function didYouMean(name: string, declared: readonly string[], terraformWould: string): { readonly headline: string; readonly advice: string } {
  const suggestion = nearestName(name, declared);
  return suggestion !== undefined
    ? {
        headline: ` (did you mean "${suggestion}"?)`,
        advice: `Did you mean "${suggestion}"? Terraform alone ${terraformWould} and plan with ${suggestion}'s default.`,
      }
    : { headline: "", advice: `Terraform alone ${terraformWould}. Declared variables: ${declared.join(", ")}.` };
}

/** Undeclared names set by the files, in file order, then by `TF_VAR_*` in the environment, sorted. */
export function findUndeclaredVariables(
  declared: readonly string[],
  files: readonly VariableFile[],
  env: Readonly<Record<string, string | undefined>>,
): InputProblem[] {
  const known = new Set(declared);
  const problems: InputProblem[] = [];
  for (const file of files) {
    const lines = file.text.split("\n");
    for (const key of tfvarsKeys(file.shownPath, file.text)) {
      if (known.has(key.name)) continue;
      const { headline, advice } = didYouMean(key.name, declared, "would only warn");
      const source = (lines[key.line - 1] ?? "").trimEnd();
      problems.push({
        variable: key.name,
        message: [
          `Error: Undeclared variable "${key.name}"${headline}`,
          "",
          `  on ${file.shownPath} line ${key.line}:`,
          `  ${String(key.line).padStart(2)}: ${source}`,
          "",
          wrap(`This stack declares no variable named "${key.name}". ${advice}`),
        ].join("\n"),
      });
    }
  }
  const fromEnv = Object.keys(env)
    .filter((name) => name.startsWith(TF_VAR) && env[name] !== undefined)
    .sort();
  for (const envName of fromEnv) {
    const name = envName.slice(TF_VAR.length);
    if (known.has(name)) continue;
    const { headline, advice } = didYouMean(name, declared, "would ignore it silently");
    problems.push({
      variable: name,
      message: [
        `Error: Undeclared variable "${name}" in ${envName}${headline}`,
        "",
        wrap(`The environment variable ${envName} sets a variable this stack does not declare. ${advice}`),
        "",
        wrap(`If ${envName} is meant for another Terraform configuration, leave it out of this command's environment:`),
        "",
        `  env -u ${envName} npm run ...`,
      ].join("\n"),
    });
  }
  return problems;
}
