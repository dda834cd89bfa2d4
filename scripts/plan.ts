/**
 * `npm run plan -- [--var-file FILE]... [--out DIR] [--fail-on-weakening]`
 *
 * Synthesizes the stack (`cdktf synth`), runs `terraform init` (with the
 * backend the synthesized stack declares: local state, or S3 from
 * TF_STATE_BUCKET), `terraform plan -out`, and writes to the output folder:
 *
 *   plan.txt         the plan as `terraform show` prints it
 *   plan.json        `terraform show -json` of the same plan
 *   plan-summary.md  counts, changed resources and the monitoring impact (src/plan-review)
 *
 * Terraform runs with the caller's own configuration and credentials.
 *
 * Options:
 *   --var-file FILE       passed to `terraform plan` (repeatable); relative to where npm was started
 *   --out DIR             output folder (default: plan-out/ in the project)
 *   --fail-on-weakening   exit 2 when the summary finds a weakening of monitoring
 *   --output DIR          cdktf output folder to synthesize into and plan from (default: cdktf.out)
 *   --no-synth            plan the stack already synthesized in --output, as it is (for example with a
 *                         Terraform override file `*_override.tf.json` placed next to cdk.tf.json)
 *
 * Exit codes: 0 planned, 2 weakening found with --fail-on-weakening, 1 error.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { renderMarkdown, summarizePlan, type PlanJson } from "../tools/plan-review";

const PROJECT_ROOT = resolve(__dirname, "..");
/** `npm run` starts scripts in the project root; paths the user typed are relative to where they were. */
const CALLER_DIR = process.env.INIT_CWD ?? process.cwd();

const EXIT = { ok: 0, error: 1, weakened: 2 } as const;

interface Options {
  readonly varFiles: string[];
  readonly out: string;
  readonly failOnWeakening: boolean;
  readonly cdktfOut: string;
  readonly synth: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      "var-file": { type: "string", multiple: true, default: [] },
      out: { type: "string" },
      "fail-on-weakening": { type: "boolean", default: false },
      output: { type: "string" },
      "no-synth": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(EXIT.ok);
  }
  const fromCaller = (path: string): string => (isAbsolute(path) ? path : resolve(CALLER_DIR, path));
  const varFiles = (values["var-file"] ?? []).map(fromCaller);
  for (const file of varFiles) {
    if (!existsSync(file)) throw new UsageError(`--var-file ${file} does not exist`);
  }
  return {
    varFiles,
    out: values.out !== undefined ? fromCaller(values.out) : join(PROJECT_ROOT, "plan-out"),
    failOnWeakening: values["fail-on-weakening"] ?? false,
    cdktfOut: values.output !== undefined ? fromCaller(values.output) : join(PROJECT_ROOT, "cdktf.out"),
    synth: !(values["no-synth"] ?? false),
  };
}

class UsageError extends Error {}

const USAGE = `usage: npm run plan -- [--var-file FILE]... [--out DIR] [--fail-on-weakening] [--output DIR] [--no-synth]
  --var-file FILE       passed to terraform plan (repeatable)
  --out DIR             where plan.txt, plan.json and plan-summary.md go (default: plan-out/)
  --fail-on-weakening   exit 2 when the change weakens monitoring
  --output DIR          cdktf output folder to synthesize into and plan from (default: cdktf.out/)
  --no-synth            plan the stack already synthesized in --output, as it is`;

/** Runs a command with its output on our stderr (stdout stays for the summary); resolves with captured stdout when asked. */
function run(command: string, args: string[], cwd: string, capture = false): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", capture ? "pipe" : process.stderr, process.stderr] });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.once("error", (err) => reject(new Error(`${command} could not be started: ${err.message}`)));
    child.once("close", (code) => {
      if (code === 0) resolvePromise(Buffer.concat(chunks).toString("utf8"));
      else reject(new Error(`\`${command} ${args.join(" ")}\` exited with ${code}`));
    });
  });
}

/** The one stack cdktf synthesized, from its manifest (so the stack name lives in main.ts only). */
function stackDirectory(cdktfOut: string): string {
  const manifestFile = join(cdktfOut, "manifest.json");
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} not found: synthesize first (run without --no-synth)`);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks?: Record<string, { workingDirectory: string }> };
  const stacks = Object.values(manifest.stacks ?? {});
  if (stacks.length !== 1) throw new Error(`expected one stack in ${manifestFile}, found ${stacks.length}`);
  return join(cdktfOut, stacks[0].workingDirectory);
}

async function main(options: Options): Promise<number> {
  const log = (message: string): void => void process.stderr.write(`plan: ${message}\n`);
  if (options.synth) {
    log(`synthesizing into ${options.cdktfOut}`);
    await run(join(PROJECT_ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", options.cdktfOut], PROJECT_ROOT);
  }
  const stackDir = stackDirectory(options.cdktfOut);
  mkdirSync(options.out, { recursive: true });
  const planFile = join(options.out, "plan.tfplan");

  log(`terraform init in ${stackDir}`);
  await run("terraform", ["init", "-input=false"], stackDir);
  await run("terraform", ["plan", "-input=false", `-out=${planFile}`, ...options.varFiles.map((f) => `-var-file=${f}`)], stackDir);

  const text = await run("terraform", ["show", "-no-color", planFile], stackDir, true);
  const json = await run("terraform", ["show", "-json", planFile], stackDir, true);
  const summary = summarizePlan(JSON.parse(json) as PlanJson);
  const markdown = renderMarkdown(summary);
  writeFileSync(join(options.out, "plan.txt"), text);
  writeFileSync(join(options.out, "plan.json"), json);
  writeFileSync(join(options.out, "plan-summary.md"), markdown);
  process.stdout.write(markdown);
  log(`wrote plan.txt, plan.json and plan-summary.md to ${options.out}`);

  if (summary.weakened && options.failOnWeakening) {
    log(`this change weakens monitoring (${summary.findings.filter((f) => f.kind === "weakening").length} findings): failing as asked by --fail-on-weakening`);
    return EXIT.weakened;
  }
  return EXIT.ok;
}

try {
  const options = parseOptions(process.argv.slice(2));
  main(options).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`plan: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(EXIT.error);
    },
  );
} catch (err: unknown) {
  const usage = err instanceof UsageError || (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"));
  process.stderr.write(`plan: ${err instanceof Error ? err.message : String(err)}${usage ? `\n${USAGE}` : ""}\n`);
  process.exit(EXIT.error);
}
