import { Node } from "constructs";
import { TerraformElement, TerraformStack } from "cdktf";
import { Composite } from "../shared/composite";

/**
 * Readable, stable Terraform addresses for plan review: the construct path in
 * snake case (`aws_s3_bucket_policy.log_bucket_policy`) instead of cdktf's
 * default path plus hash suffix, leaving out composites (the folders of the
 * code, not of the deployment). These are the addresses v0.1.0 deployed;
 * `src/stacks/upgrades.ts` holds the moved blocks for any that change.
 */
export function readableLogicalId(stack: TerraformStack, element: TerraformElement | Node): string {
  const node = element instanceof Node ? element : element.node;
  return node.scopes
    .slice(node.scopes.indexOf(stack) + 1)
    .filter((scope) => !Composite.isComposite(scope))
    .map((scope) => scope.node.id)
    .join("_")
    .replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * Two elements with one address would silently merge in cdk.tf.json: fail
 * synthesis instead, naming both construct paths.
 */
export function duplicateLogicalIds(stack: TerraformStack): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const construct of stack.node.findAll()) {
    if (!TerraformElement.isTerraformElement(construct)) continue;
    const id = readableLogicalId(stack, construct);
    const kind = (construct as unknown as { terraformResourceType?: string }).terraformResourceType ?? construct.constructor.name;
    const key = `${kind} ${id}`;
    const other = seen.get(key);
    if (other !== undefined) errors.push(`${construct.node.path} and ${other} both synthesize as ${kind}.${id}: rename one construct id`);
    else seen.set(key, construct.node.path);
  }
  return errors;
}
