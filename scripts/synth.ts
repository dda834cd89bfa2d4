/**
 * `npm run synth -- [--output DIR]`: builds the notifier and synthesizes the
 * stack into cdktf.out/ (or DIR), as `npx cdktf synth` does, without the CDK
 * for Terraform CLI and its spinner.
 */
import { parseArgs } from "node:util";
import { DEFAULT_CDKTF_OUT, fromCaller, shownPath } from "./lib/project";
import { EXIT, runMain } from "./lib/cli";
import { synthesize } from "./lib/synthesize";

const USAGE = "usage: npm run synth -- [--output DIR]   (default: cdktf.out/)";

runMain("synth", USAGE, async () => {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { output: { type: "string" } }, strict: true });
  const stackDir = await synthesize(values.output !== undefined ? fromCaller(values.output) : DEFAULT_CDKTF_OUT);
  process.stderr.write(`synth: wrote ${shownPath(stackDir)}/cdk.tf.json\n`);
  return EXIT.ok;
});
