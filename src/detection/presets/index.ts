/**
 * The preset catalogue: named sets of EventBridge patterns over CloudTrail
 * events, each with a severity, the region where AWS records its events, and
 * the public detection content it corresponds to. One file per preset in
 * this folder; this table lists them in the order the README shows them.
 *
 * Data only: no constructs here. The stack turns the catalogue into a
 * Terraform local and creates one rule per enabled part with `for_each`, so
 * enabling a preset is a tfvars change (`alert_presets`), resolved at plan time.
 */
import type { Preset, Severity } from "../types";
import { rootActivity } from "./root-activity";
import { monitoringTamper } from "./monitoring-tamper";
import { iamPersistence } from "./iam-persistence";
import { iamPrivilegeEscalation } from "./iam-privilege-escalation";
import { iamFederation } from "./iam-federation";
import { mfaTampering } from "./mfa-tampering";
import { consoleSignin } from "./console-signin";
import { accountGuardrails } from "./account-guardrails";
import { cisAwsFoundations } from "./cis-aws-foundations";

export const PRESETS: readonly Preset[] = [
  rootActivity,
  monitoringTamper,
  iamPersistence,
  iamPrivilegeEscalation,
  iamFederation,
  mfaTampering,
  consoleSignin,
  accountGuardrails,
  cisAwsFoundations,
];

export const PRESET_NAMES: readonly string[] = PRESETS.map((p) => p.name);

export const DEFAULT_ALERT_PRESETS: readonly string[] = ["root-activity", "monitoring-tamper"];

/** The label the rule on the user's own `iam_events` carries into its alerts. */
export const IAM_EVENTS_LABEL = { preset: "iam-events", severity: "high" as Severity };
