/**
 * What deploy, destroy and plan share on the command line: the options, the
 * variable files Terraform will read, how a failure is reported and the exit
 * codes.
 */
import { createInterface } from "node:readline/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { plainOutput, parseDiagnostics } from "../../tools/terraform-inputs";
import { automaticVarFiles, InputMistakes, requireFiles } from "./inputs";
import { CALLER_DIR, DEFAULT_CDKTF_OUT, fromCaller, shownPath, UserError } from "./project";
import { TerraformError } from "./terraform-cli";

export const EXIT = { ok: 0, error: 1 } as const;

export interface CommonOptions {
  /** Every variable definitions file, in the order Terraform applies them (later wins). */
  readonly varFiles: string[];
  readonly autoApprove: boolean;
  /** Synth output folder; the local state file lives next to it. */
  readonly cdktfOut: string;
  /** Synthesize first (false: use what is already in cdktfOut, e.g. from `cdktf synth`). */
  readonly synth: boolean;
}

export const COMMON_OPTIONS = {
  "var-file": { type: "string", multiple: true, default: [] },
  "auto-approve": { type: "boolean", default: false },
  output: { type: "string" },
  "no-synth": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

export const COMMON_USAGE = `  --var-file FILE   variable definitions (repeatable; relative to where you run npm). terraform.tfvars,
                    terraform.tfvars.json and *.auto.tfvars[.json] there are read first, as Terraform does
  --output DIR      synthesize into DIR and run Terraform there (default: cdktf.out/; local state is kept
                    next to it)
  --no-synth        use the stack already synthesized in --output (for example by \`npx cdktf synth\`)`;

/** Parses argv with the common options plus `extra`; prints usage and exits for --help. */
export function parseOptions(
  argv: string[],
  extra: NonNullable<ParseArgsConfig["options"]>,
  usage: string,
  { confirmable = true }: { readonly confirmable?: boolean } = {},
): { readonly common: CommonOptions; readonly values: Readonly<Record<string, string | boolean | string[] | undefined>> } {
  const { "auto-approve": autoApprove, ...rest } = COMMON_OPTIONS;
  const options = { ...rest, ...(confirmable ? { "auto-approve": autoApprove } : {}), ...extra };
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }) as {
    values: Record<string, string | boolean | string[] | undefined>;
  };
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(EXIT.ok);
  }
  const explicit = (values["var-file"] as string[]).map(fromCaller);
  requireFiles(explicit);
  const common: CommonOptions = {
    varFiles: [...automaticVarFiles(CALLER_DIR).filter((f) => !explicit.includes(f)), ...explicit],
    autoApprove: values["auto-approve"] === true,
    cdktfOut: values.output !== undefined ? fromCaller(values.output as string) : DEFAULT_CDKTF_OUT,
    synth: !(values["no-synth"] as boolean),
  };
  return { common, values };
}

/** Someone must be able to answer the question (checked after the input checks, before Terraform starts). */
export function requireConfirmable(common: CommonOptions): void {
  if (!common.autoApprove && process.stdin.isTTY !== true) {
    throw new UserError("no terminal to ask for confirmation on; pass --auto-approve to go ahead without asking");
  }
}

/** Terraform's own question, answered on the terminal. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`\n${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
    return answer.trim() === "yes";
  } finally {
    rl.close();
  }
}

export const describeFiles = (files: readonly string[]): string => (files.length === 0 ? "none (defaults)" : files.map(shownPath).join(", "));

/**
 * Runs a script's body and exits with its code. Input mistakes print only
 * their diagnostics; a Terraform failure prints its error diagnostics in full,
 * first, then one line saying what failed; anything else one line.
 */
export function runMain(command: string, usage: string, body: () => Promise<number>): void {
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  const report = (err: unknown): number => {
    if (err instanceof InputMistakes) {
      log(err.message);
      log(`\n${command}: ${err.diagnostics.length === 1 ? "1 input mistake" : `${err.diagnostics.length} input mistakes`}; nothing was planned or changed.`);
    } else if (err instanceof TerraformError) {
      const errors = parseDiagnostics(err.result.stderr).filter((d) => d.severity === "Error");
      log(errors.length > 0 ? errors.map((d) => d.text).join("\n\n") : plainOutput(err.result.stderr).trim());
      log(`\n${command}: terraform ${err.args[0]} failed (exit ${err.result.code})${err.note !== undefined ? `; ${err.note}` : ""}.`);
    } else if (err instanceof UserError) {
      log(`${command}: ${err.message}`);
    } else if (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS")) {
      log(`${command}: ${err.message}\n${usage}`);
    } else {
      log(`${command}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    return EXIT.error;
  };
  let promise: Promise<number>;
  try {
    promise = body();
  } catch (err) {
    promise = Promise.resolve(report(err));
  }
  promise.then(
    (code) => process.exit(code),
    (err: unknown) => process.exit(report(err)),
  );
}
