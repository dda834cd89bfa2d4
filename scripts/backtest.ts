/**
 * `npm run backtest -- --logs <dir | s3://bucket/prefix> [--var-file FILE | --plan plan.json]
 *                     [--since DATE] [--until DATE] [--out DIR] [--json FILE]`
 *
 * What the stack's rules would have alerted on, over CloudTrail log files:
 * per rule and per preset, alerts, alerts per day, top actors, and the
 * ignored_principal_arns candidates. See README "Backtest" and tools/backtest.
 *
 * S3 is read with the caller's AWS configuration (credential chain, region);
 * AWS_ENDPOINT_URL(_S3) points it elsewhere (path-style addressing then).
 * Exit codes: 0 done, 1 bad input or failure (the message names what).
 */
import { resolve } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { parseOptions, USAGE, UsageError } from "../tools/backtest/options";
import { renderText } from "../tools/backtest/report-text";
import { runBacktest } from "../tools/backtest/run";

const PROJECT_ROOT = resolve(__dirname, "..");
/** `npm run` starts scripts in the project root; paths the user typed are relative to where they were. */
const CALLER_DIR = process.env.INIT_CWD ?? process.cwd();

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), CALLER_DIR);
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const { summary } = await runBacktest(options, {
    projectRoot: PROJECT_ROOT,
    s3: () => new S3Client(endpoint !== undefined ? { forcePathStyle: true } : {}),
    stderr: process.stderr,
  });
  process.stdout.write(renderText(summary));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usage = err instanceof UsageError;
    process.stderr.write(`backtest: ${err instanceof Error ? err.message : String(err)}${usage ? `\n${USAGE}` : ""}\n`);
    process.exit(1);
  },
);
