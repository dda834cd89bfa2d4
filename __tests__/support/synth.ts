/**
 * Synthesis helpers: in memory for fine-grained assertions, and through the
 * real entry point (`main.ts`, as `cdktf synth` runs it) for what ships.
 */
import { Testing } from "cdktf";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AlertingStack, AlertingStackProps } from "../../src/stacks/alerting-stack";

export const PROJECT_ROOT = resolve(__dirname, "..", "..");
export const BUNDLE_DIR = join(PROJECT_ROOT, "handler", "dist");
export const STACK_NAME = "cloudtrail-alerting";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function requireBundle(): void {
  if (!existsSync(join(BUNDLE_DIR, "index.mjs"))) {
    throw new Error("handler/dist/index.mjs is missing: run `npm run build` first (`npm test` does).");
  }
}

/** The stack's Terraform JSON, synthesized in memory. */
export function synthStack(props: Partial<AlertingStackProps> = {}): Json {
  requireBundle();
  const app = Testing.app();
  const stack = new AlertingStack(app, STACK_NAME, { handlerBundleDir: BUNDLE_DIR, ...props });
  return JSON.parse(Testing.synth(stack));
}

/** All resources of one Terraform type, keyed by logical id. */
export function resourcesOf(synth: Json, type: string): Record<string, Json> {
  return synth.resource?.[type] ?? {};
}

/** The single resource of a type (fails the test when there is not exactly one). */
export function onlyResource(synth: Json, type: string): Json {
  const all = Object.values(resourcesOf(synth, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

export interface SynthOutput {
  readonly outdir: string;
  readonly stackDir: string;
  readonly json: string;
}

/**
 * Runs the production entry point (`main.ts`) exactly as `cdktf synth` does,
 * into a fresh directory. `env` is merged into the child's environment.
 */
export function synthApp(env: Record<string, string> = {}, outdir?: string): SynthOutput {
  requireBundle();
  const dir = outdir ?? join(mkdtempSync(join(tmpdir(), "cta-synth-")), "cdktf.out");
  const result = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "main.ts")], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: dir, ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`synth failed (${result.status}):\n${result.stderr}`);
  const stackDir = join(dir, "stacks", STACK_NAME);
  return { outdir: dir, stackDir, json: readFileSync(join(stackDir, "cdk.tf.json"), "utf8") };
}
