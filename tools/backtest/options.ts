/**
 * The command line of `npm run backtest`, checked before anything is read or
 * printed: every problem is a UsageError naming the option.
 */
import { parseArgs } from "node:util";
import { isAbsolute, resolve } from "node:path";
import { parseDate, type TimeWindow } from "./window";

export interface BacktestOptions {
  /** A folder (or one file), or `s3://bucket/prefix`. */
  readonly logs: string;
  /** `--logs` as typed, for the report. */
  readonly logsLabel?: string;
  readonly varFile?: string;
  readonly plan?: string;
  readonly window: TimeWindow;
  readonly out?: string;
  readonly json?: string;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run backtest -- --logs <dir | s3://bucket/prefix> [--var-file FILE | --plan plan.json]
                           [--since DATE] [--until DATE] [--out DIR] [--json FILE]
  --logs      CloudTrail log files (.json, .json.gz): a folder, or an S3 prefix (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/)
  --var-file  tfvars (HCL or .tfvars.json) whose variables decide the rules (default: the variables' defaults)
  --plan      \`terraform show -json\` output: evaluate exactly the rules planned in us-east-1
  --since     first day (YYYY-MM-DD, UTC) or time (ISO 8601) of the records to evaluate
  --until     last day or time, inclusive
  --out       folder for report.md, alerts-per-day.svg and alerts/ (the first alerts of each rule, as sent)
  --json      file for {"records", "rules", "presets", "records_per_second"}`;

/** `cwd`: where relative paths start (npm runs scripts in the project root; INIT_CWD is where the user was). */
export function parseOptions(argv: readonly string[], cwd: string): BacktestOptions | "help" {
  const options = {
    logs: { type: "string" },
    "var-file": { type: "string" },
    plan: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    out: { type: "string" },
    json: { type: "string" },
    help: { type: "boolean", short: "h" },
  } as const;
  const parse = () => parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  let values: ReturnType<typeof parse>;
  try {
    values = parse();
  } catch (err: unknown) {
    throw new UsageError((err as Error).message);
  }
  if (values.help === true) return "help";
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  if (values.logs === undefined || values.logs === "") throw new UsageError("--logs is required: a folder of CloudTrail log files, or s3://bucket/prefix");
  if (values["var-file"] !== undefined && values.plan !== undefined) {
    throw new UsageError("give --var-file or --plan, not both: a plan already holds the variables' values");
  }
  const window: { since?: number; until?: number } = {};
  try {
    if (values.since !== undefined) window.since = parseDate(values.since, "--since", false);
    if (values.until !== undefined) window.until = parseDate(values.until, "--until", true);
  } catch (err: unknown) {
    throw new UsageError((err as Error).message);
  }
  if (window.since !== undefined && window.until !== undefined && window.since > window.until) {
    throw new UsageError(`--since ${values.since} is after --until ${values.until}`);
  }
  return {
    logs: values.logs.startsWith("s3://") ? values.logs : path(values.logs),
    logsLabel: values.logs,
    ...(values["var-file"] !== undefined ? { varFile: path(values["var-file"]) } : {}),
    ...(values.plan !== undefined ? { plan: path(values.plan) } : {}),
    window,
    ...(values.out !== undefined ? { out: path(values.out) } : {}),
    ...(values.json !== undefined ? { json: path(values.json) } : {}),
  };
}
