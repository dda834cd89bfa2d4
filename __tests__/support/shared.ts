/**
 * What the global setup (`./global-setup.ts`) prepared once for every suite:
 * the synthesized stack, initialised, and one moto server for plans. Plans
 * are cached by their inputs for the whole run, across workers, so the same
 * configuration is planned once however many suites assert on it.
 */
import { createHash } from "node:crypto";
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { connectMoto, type MotoServer } from "./moto";
import type { SharedSetup } from "./phases";
import { Terraform, type PlanJson } from "./terraform";

export function shared(): SharedSetup {
  const setup = inject("shared");
  if (setup === null || setup === undefined) throw new Error("the shared Terraform setup is missing: terraform or moto_server is not on PATH");
  return setup;
}

export function sharedMoto(): MotoServer {
  return connectMoto(shared().motoEndpoint);
}

export interface PlanOptions {
  /** Region of the default provider (AWS_REGION). @default "eu-west-1" */
  readonly region?: string;
  /** Extra environment for terraform, e.g. `TF_VAR_*`. */
  readonly env?: Record<string, string>;
  /** A tfvars file to plan with (HCL or JSON), instead of or besides `vars`. */
  readonly varFile?: string;
}

export interface PlanRun {
  readonly plan: PlanJson;
  /** What `terraform plan` printed (stdout and stderr): warnings, check results. */
  readonly output: string;
}

const inWorker = new Map<string, Promise<PlanRun>>();

/**
 * `terraform plan` of the shared stack with these variables (written as a
 * `.tfvars.json`; `undefined` plans the defaults), then `terraform show
 * -json`. Computed once per distinct input in the whole run.
 */
export function planRunOf(vars: Record<string, unknown> | undefined, options: PlanOptions = {}): Promise<PlanRun> {
  const { stackDir, cacheDir } = shared();
  const region = options.region ?? "eu-west-1";
  const fileBody = options.varFile !== undefined ? readFileSync(options.varFile, "utf8") : null;
  // Keys sorted: the same values given in another order are the same plan.
  const sorted = (o: Record<string, unknown> | undefined) => (o === undefined || Object.keys(o).length === 0 ? null : Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))));
  const key = createHash("sha256")
    .update(JSON.stringify({ vars: sorted(vars), fileBody, region, env: sorted(options.env) ?? {} }))
    .digest("hex")
    .slice(0, 16);
  const cached = inWorker.get(key);
  if (cached !== undefined) return cached;
  const result = (async (): Promise<PlanRun> => {
    const done = join(cacheDir, `${key}.json`);
    const lock = join(cacheDir, `${key}.lock`);
    let owner = false;
    try {
      closeSync(openSync(lock, "wx"));
      owner = true;
    } catch {
      // Another worker is planning the same input: wait for its result.
    }
    if (!owner) {
      while (!existsSync(done)) {
        if (existsSync(`${done}.failed`)) throw new Error(readFileSync(`${done}.failed`, "utf8"));
        await new Promise((r) => setTimeout(r, 200));
      }
      return JSON.parse(readFileSync(done, "utf8")) as PlanRun;
    }
    try {
      const args = ["plan", "-input=false", "-no-color", "-lock=false", `-out=${join(cacheDir, `${key}.tfplan`)}`];
      if (options.varFile !== undefined) args.push(`-var-file=${options.varFile}`);
      if (vars !== undefined && Object.keys(vars).length > 0) {
        const varFile = join(cacheDir, `${key}.tfvars.json`);
        writeFileSync(varFile, JSON.stringify(vars));
        args.push(`-var-file=${varFile}`);
      }
      const terraform = new Terraform(stackDir, sharedMoto().env(region));
      const planned = await terraform.run(args, options.env ?? {});
      if (planned.code !== 0) throw new Error(`terraform ${args.join(" ")} exited ${planned.code}:\n${planned.stderr}`);
      const plan = JSON.parse(await terraform.ok(["show", "-json", "-no-color", join(cacheDir, `${key}.tfplan`)])) as PlanJson;
      const run: PlanRun = { plan, output: planned.stdout + planned.stderr };
      writeFileSync(`${done}.tmp`, JSON.stringify(run));
      renameSync(`${done}.tmp`, done);
      return run;
    } catch (err) {
      writeFileSync(`${done}.failed`, err instanceof Error ? err.message : String(err));
      throw err;
    }
  })();
  inWorker.set(key, result);
  return result;
}

/** The plan JSON of `planRunOf`. */
export async function planOf(vars: Record<string, unknown> | undefined, options: PlanOptions = {}): Promise<PlanJson> {
  return (await planRunOf(vars, options)).plan;
}
/**
 * A private copy of the shared stack (for `apply`): its own directory and
 * state. The initialised `.terraform` is copied with it (the provider in it is
 * a link to the mirror), which is what a second `terraform init` would write.
 */
export async function copyOfStack(env: Record<string, string> = {}): Promise<{ stackDir: string; terraform: Terraform }> {
  const root = mkdtempSync(join(tmpdir(), "cta-stack-"));
  const stackDir = join(root, "cdktf.out", "stacks", "cloudtrail-alerting");
  cpSync(shared().stackDir, stackDir, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith(".tfplan") });
  return { stackDir, terraform: new Terraform(stackDir, env) };
}

let variablesOnly: string | undefined;

/**
 * `terraform plan` of the shared stack's `variable` blocks alone, with a
 * tfvars file: the same type checks and validation rules as a full plan,
 * without providers, init or credentials, in a fraction of a second (how
 * `npm run deploy` checks inputs too, see scripts/lib/inputs.ts). For tests of
 * the errors a bad value gets.
 */
export async function planVariables(varFile: string): Promise<{ code: number; stdout: string; stderr: string }> {
  if (variablesOnly === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "cta-variables-"));
    const stack = JSON.parse(readFileSync(join(shared().stackDir, "cdk.tf.json"), "utf8")) as { variable?: unknown };
    writeFileSync(join(dir, "variables.tf.json"), JSON.stringify({ variable: stack.variable ?? {} }));
    variablesOnly = dir;
  }
  return new Terraform(variablesOnly).run(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", `-var-file=${varFile}`]);
}
