/**
 * Input checks that run before Terraform plans anything: names in tfvars
 * files and TF_VAR_* against the declared variables, and Terraform's
 * diagnostics reduced to the errors, each naming its variable. Pure
 * functions; scripts/lib/inputs.ts runs them for deploy, destroy and plan.
 */
export { editDistance, nearestName } from "./nearest-name";
export { hclTopLevelKeys, jsonTopLevelKeys, tfvarsKeys } from "./tfvars-keys";
export type { TfvarsKey } from "./tfvars-keys";
export { findUndeclaredVariables } from "./undeclared-variables";
export type { InputProblem, VariableFile } from "./undeclared-variables";
export { parseDiagnostics, plainOutput, variableOf, withVariableInHeadline } from "./diagnostics";
export type { Diagnostic } from "./diagnostics";
