/**
 * Synthesis without the CDK for Terraform CLI (archived upstream): build the
 * notifier bundle, then run the app (`main.ts`) with the context from
 * cdktf.json, exactly as `cdktf synth` would, into the given folder.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT, stackDirectory, UserError } from "./project";

/** Runs a Node-based step quietly: its output is shown only when it fails. */
function quietly(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (err) => reject(new UserError(`${what}: ${command} could not be started: ${err.message}`)));
    child.once("close", (code) => (code === 0 ? resolve() : reject(new UserError(`${what} failed (exit ${code}):\n${output.trimEnd()}`))));
  });
}

/** cdktf.json's "context" (homeRegion, watchRegions), passed to the app as `cdktf synth` passes it. */
function cdktfContext(): Record<string, unknown> {
  const config = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdktf.json"), "utf8")) as { context?: Record<string, unknown> };
  return config.context ?? {};
}

/** Builds the handler bundle and synthesizes the stack into `cdktfOut`; returns the stack's folder. */
export async function synthesize(cdktfOut: string): Promise<string> {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  await quietly(npm, ["run", "--silent", "build"], process.env, "building the notifier (npm run build)");
  const context = { ...cdktfContext(), ...(process.env.CDKTF_CONTEXT_JSON ? (JSON.parse(process.env.CDKTF_CONTEXT_JSON) as object) : {}) };
  await quietly(
    process.execPath,
    ["--import", "tsx", join(PROJECT_ROOT, "main.ts")],
    { ...process.env, CDKTF_OUTDIR: cdktfOut, CDKTF_CONTEXT_JSON: JSON.stringify(context) },
    "synthesizing the stack (main.ts)",
  );
  return stackDirectory(cdktfOut);
}
