/**
 * `--var-file`: the detection variables from a tfvars file, checked as the
 * stack's variable validations check them (src/config/variables.ts), with the
 * stack's defaults for what the file leaves out.
 */
import { PRESET_NAMES } from "../../src/detection";
import { DEFAULT_SETTINGS, type DetectionSettings } from "./catalogue-rules";
import { parseTfvars, type TfValue } from "./tfvars";

export function settingsFromVarFile(text: string, fileName: string): DetectionSettings {
  const values = parseTfvars(text, fileName);
  const problem = (name: string, what: string): Error => new Error(`${fileName}: ${name} ${what}`);
  const strings = (name: string, value: TfValue | undefined): readonly string[] | undefined => {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw problem(name, "must be a list of strings");
    return value as string[];
  };
  const applicationName = values.application_name ?? DEFAULT_SETTINGS.applicationName;
  if (typeof applicationName !== "string" || !/^[a-z][a-z0-9-]{0,26}[a-z0-9]$/.test(applicationName)) {
    throw problem("application_name", "must be 2-28 lowercase letters, digits and hyphens, starting with a letter");
  }
  const alertPresets = strings("alert_presets", values.alert_presets) ?? DEFAULT_SETTINGS.alertPresets;
  const unknown = alertPresets.filter((p) => !PRESET_NAMES.includes(p));
  if (unknown.length > 0) throw problem("alert_presets", `names unknown presets (${unknown.join(", ")}); valid: ${PRESET_NAMES.join(", ")}`);
  const iamEvents = strings("iam_events", values.iam_events) ?? DEFAULT_SETTINGS.iamEvents;
  if (iamEvents.length === 0) throw problem("iam_events", "must list at least one IAM action");
  return {
    applicationName,
    iamEvents,
    alertPresets,
    ignoredPrincipalArns: strings("ignored_principal_arns", values.ignored_principal_arns) ?? DEFAULT_SETTINGS.ignoredPrincipalArns,
  };
}
