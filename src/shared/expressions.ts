/** Wraps a Terraform expression so cdktf emits it verbatim (`${...}`). */
export const expr = (hcl: string): string => "${" + hcl + "}";
