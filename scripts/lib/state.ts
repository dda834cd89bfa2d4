/**
 * The managed resources in the stack's Terraform state, from `terraform state
 * pull`: the state document itself (format version 4), from whichever backend
 * the stack uses, local or S3
 * (https://developer.hashicorp.com/terraform/cli/commands/state/pull). Unlike
 * `terraform show -json` it does not start the AWS provider to load its schema
 * (about 3 s of CPU), and the attributes are the same ones `show -json` prints.
 */
import type { TerraformCli } from "./terraform-cli";

export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Readonly<Record<string, unknown>>;
}

interface StateDocument {
  readonly version?: number;
  readonly resources?: readonly {
    readonly module?: string;
    readonly mode: string;
    readonly type: string;
    readonly name: string;
    readonly instances?: readonly { readonly index_key?: string | number; readonly attributes?: Record<string, unknown> }[];
  }[];
}

/** The managed resources of a state document, one per instance, with the addresses Terraform gives them. */
export function resourcesOfState(text: string): StateResource[] {
  if (text.trim() === "") return []; // no state yet: nothing was ever applied
  const state = JSON.parse(text) as StateDocument;
  if (state.version !== 4) throw new Error(`terraform state pull returned state format version ${state.version}; this script reads version 4`);
  return (state.resources ?? [])
    .filter((r) => r.mode === "managed")
    .flatMap((r) =>
      (r.instances ?? []).map((instance) => ({
        address: `${r.module === undefined ? "" : `${r.module}.`}${r.type}.${r.name}${instance.index_key === undefined ? "" : `[${JSON.stringify(instance.index_key)}]`}`,
        type: r.type,
        values: instance.attributes ?? {},
      })),
    );
}

/** Every managed resource in the state; none when nothing is deployed. */
export async function readState(terraform: TerraformCli): Promise<StateResource[]> {
  return resourcesOfState(await terraform.output(["state", "pull"]));
}
