import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { declareDestinationVariables } from "./destination-variables";
import { declareOrganizationVariables } from "./organization-variables";
import { declareVariables } from "./variables";

/**
 * Every variable the stack declares, by name, without synthesizing it: what
 * `npm run deploy` checks tfvars files and TF_VAR_* names against before
 * anything runs. A test compares this with the synthesized `variable` block,
 * so a group of variables added to the stack but not here fails it.
 */
export function declaredVariableNames(): string[] {
  // A bare construct as root: an App would create its output folder on disk.
  const scratch = new TerraformStack(new Construct(undefined as unknown as Construct, ""), "declared-variables");
  return [
    ...Object.values(declareVariables(scratch)),
    ...Object.values(declareOrganizationVariables(scratch)),
    ...Object.values(declareDestinationVariables(scratch)),
  ]
    .map((variable) => variable.node.id)
    .sort();
}
