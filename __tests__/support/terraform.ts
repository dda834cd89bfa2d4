/**
 * Runs the real Terraform CLI with the real AWS provider (5.100.0, the version
 * @cdktf/provider-aws 20.1.0 is generated for), installed offline from the
 * machine's filesystem mirror.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const MIRROR_CANDIDATES = [process.env.TF_PROVIDER_MIRROR, "/opt/tf-plugins", "/usr/share/terraform/plugins"];
const AWS_PROVIDER = "registry.terraform.io/hashicorp/aws";

export function findProviderMirror(): string {
  for (const candidate of MIRROR_CANDIDATES) {
    if (candidate && existsSync(join(candidate, AWS_PROVIDER, "5.100.0"))) return candidate;
  }
  throw new Error(
    `No filesystem mirror of ${AWS_PROVIDER} 5.100.0 found (looked in ${MIRROR_CANDIDATES.filter(Boolean).join(", ")}); set TF_PROVIDER_MIRROR.`,
  );
}

/** A Terraform CLI config that installs the AWS provider from the local mirror only. */
export function writeCliConfig(): string {
  const mirror = findProviderMirror();
  const file = join(mkdtempSync(join(tmpdir(), "cta-tfrc-")), "terraform.rc");
  writeFileSync(
    file,
    `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = [${JSON.stringify(AWS_PROVIDER)}]
  }
  direct {
    exclude = [${JSON.stringify(AWS_PROVIDER)}]
  }
}
`,
  );
  return file;
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class Terraform {
  private readonly cliConfig = writeCliConfig();

  constructor(
    private readonly cwd: string,
    private readonly env: Record<string, string> = {},
  ) {}

  run(args: string[], extraEnv: Record<string, string> = {}): Promise<TerraformResult> {
    return new Promise((resolve, reject) => {
      const child = spawn("terraform", args, {
        cwd: this.cwd,
        env: {
          ...process.env,
          TF_CLI_CONFIG_FILE: this.cliConfig,
          TF_IN_AUTOMATION: "1",
          CHECKPOINT_DISABLE: "1",
          ...this.env,
          ...extraEnv,
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.once("error", reject);
      child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  async ok(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
    const result = await this.run(args, extraEnv);
    if (result.code !== 0) {
      throw new Error(`terraform ${args.join(" ")} exited ${result.code}:\n${result.stderr}\n${result.stdout.slice(-3000)}`);
    }
    return result.stdout;
  }

  init(): Promise<string> {
    return this.ok(["init", "-input=false", "-no-color"]);
  }

  /** `terraform plan -out` then `terraform show -json` of that plan. */
  async planJson(varFile?: string, out = "plan.tfplan", extraEnv: Record<string, string> = {}): Promise<PlanJson> {
    const vars = varFile ? [`-var-file=${varFile}`] : [];
    await this.ok(["plan", "-input=false", "-no-color", "-lock=false", `-out=${out}`, ...vars], extraEnv);
    return JSON.parse(await this.ok(["show", "-json", "-no-color", out])) as PlanJson;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlanJson = any;

/** Planned values of every resource of a type, with their addresses. */
export function planned(plan: PlanJson, type: string): { address: string; values: PlanJson }[] {
  const resources: PlanJson[] = plan.planned_values?.root_module?.resources ?? [];
  return resources.filter((r) => r.type === type && r.mode === "managed").map((r) => ({ address: r.address, values: r.values }));
}

export function plannedOne(plan: PlanJson, address: string): PlanJson {
  const resources: PlanJson[] = plan.planned_values?.root_module?.resources ?? [];
  const found = resources.find((r) => r.address === address);
  if (!found) throw new Error(`${address} is not in the plan`);
  return found.values;
}

/**
 * Where the synthesized stack in `stackDir` keeps its state (its `backend.local.path`; cdktf's default for a stack).
 * Suites read it with `resourcesOfState` (scripts/lib/state.ts, what `npm run destroy` uses): `terraform show
 * -json` would start the AWS provider for its schema (about 3 s of CPU) to print the same attributes.
 */
export function localStatePath(stackDir: string): string {
  const config = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { terraform?: { backend?: { local?: { path?: string } } } };
  const path = config.terraform?.backend?.local?.path;
  if (path === undefined) throw new Error(`${stackDir}/cdk.tf.json has no local backend: its state is not on this machine`);
  return resolve(stackDir, path);
}
