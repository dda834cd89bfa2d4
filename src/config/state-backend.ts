import { LocalBackend, S3Backend, TerraformStack } from "cdktf";

export interface StateBackendConfig {
  /** S3 bucket holding the state. When unset, state is kept in a local file. */
  readonly bucket?: string;
  /** @default "<stack>/terraform.tfstate" */
  readonly key?: string;
  /** @default - the AWS provider's own region resolution */
  readonly region?: string;
}

/**
 * Chooses where Terraform keeps state, without machine-specific paths in the
 * synthesized JSON (so two machines synthesize byte-identical output).
 *
 * - Local (default): `terraform.<stack>.tfstate` at the project root, as
 *   cdktf does by default, but written as a path relative to the stack's
 *   working directory `cdktf.out/stacks/<stack>/` instead of an absolute one.
 * - S3: encrypted, with S3-native state locking (Terraform >= 1.10).
 */
export function configureStateBackend(stack: TerraformStack, config: StateBackendConfig): void {
  const stackName = stack.node.id;
  if (config.bucket === undefined || config.bucket === "") {
    new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: config.bucket,
    key: config.key ?? `${stackName}/terraform.tfstate`,
    region: config.region,
    encrypt: true,
  });
  backend.addOverride("use_lockfile", true);
}
