/** The managed resources in the stack's Terraform state (`terraform show -json`). */
import type { TerraformCli } from "./terraform-cli";

export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Readonly<Record<string, unknown>>;
}

interface StateModule {
  readonly resources?: { address: string; mode: string; type: string; values?: Record<string, unknown> }[];
  readonly child_modules?: StateModule[];
}

function collect(module: StateModule | undefined): StateResource[] {
  if (module === undefined) return [];
  const own = (module.resources ?? [])
    .filter((r) => r.mode === "managed")
    .map((r) => ({ address: r.address, type: r.type, values: r.values ?? {} }));
  return [...own, ...(module.child_modules ?? []).flatMap(collect)];
}

/** Every managed resource in the state; none when nothing is deployed. */
export async function readState(terraform: TerraformCli): Promise<StateResource[]> {
  const json = JSON.parse(await terraform.output(["show", "-json"])) as { values?: { root_module?: StateModule } };
  return collect(json.values?.root_module);
}
