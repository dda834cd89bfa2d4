/**
 * The rules the stack deploys for given variable values, computed from the
 * preset catalogue without Terraform or AWS credentials, as
 * src/detection/detection.ts builds them: the rule on `iam_events`, one rule
 * per part of each enabled preset, suppression merged into the suppressible
 * ones when `ignored_principal_arns` is not empty.
 */
import { deploymentNaming } from "../../src/config/naming";
import { DEFAULT_IAM_EVENTS } from "../../src/config/variables";
import {
  API_CALL,
  DEFAULT_ALERT_PRESETS,
  forwardingPattern,
  IAM_EVENTS_LABEL,
  presetRules,
  resolvedPattern,
  ruleSuffix,
  suppressionDetail,
  type DeploymentNames,
  type EventPattern,
} from "../../src/detection";
import type { DeployedRule } from "./deployed-rule";

/** The Terraform variables that decide the rules; defaults as declared in src/config/variables.ts. */
export interface DetectionSettings {
  readonly applicationName: string;
  readonly iamEvents: readonly string[];
  readonly alertPresets: readonly string[];
  readonly ignoredPrincipalArns: readonly string[];
}

export const DEFAULT_SETTINGS: DetectionSettings = {
  applicationName: "cloudtrail-alerting",
  iamEvents: DEFAULT_IAM_EVENTS,
  alertPresets: DEFAULT_ALERT_PRESETS,
  ignoredPrincipalArns: [],
};

/** Suffix of the rule on `iam_events` (src/detection/event-rules.ts). */
export const IAM_EVENTS_SUFFIX = "iam-events";

/** The pattern of the rule on `iam_events`, suppression merged as the stack merges it. */
export function iamEventsPattern(iamEvents: readonly string[], ignoredPrincipalArns: readonly string[]): EventPattern {
  const detail: EventPattern = { eventSource: ["iam.amazonaws.com"], eventName: [...iamEvents] };
  return {
    source: ["aws.iam"],
    "detail-type": [API_CALL],
    detail: ignoredPrincipalArns.length > 0 ? { ...detail, ...suppressionDetail([...ignoredPrincipalArns]) } : detail,
  };
}

/** This deployment's resource names in one account, as the stack derives them (src/config/naming.ts). */
export function namesFor(applicationName: string, accountId: string, homeRegion: string): DeploymentNames {
  const partition = homeRegion.startsWith("cn-") ? "aws-cn" : homeRegion.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  const naming = deploymentNaming({ name: applicationName, accountId, partition, homeRegion });
  return {
    namePrefix: naming.name,
    trailName: naming.trailName,
    logBucketName: naming.logBucketName,
    accessLogBucketName: naming.accessLogBucketName,
    functionName: naming.functionName,
    topicArn: naming.topicArn,
  };
}

/** Every alerting rule, in the order the stack declares them: `iam-events`, then the catalogue's order. */
export function catalogueRules(settings: DetectionSettings, names: DeploymentNames): DeployedRule[] {
  const ignored = [...settings.ignoredPrincipalArns];
  const rules: DeployedRule[] = [
    {
      name: `${settings.applicationName}-${IAM_EVENTS_SUFFIX}`,
      preset: IAM_EVENTS_LABEL.preset,
      severity: IAM_EVENTS_LABEL.severity,
      suppressible: true,
      pattern: iamEventsPattern(settings.iamEvents, ignored),
      allManagementEvents: false,
    },
  ];
  for (const rule of presetRules()) {
    if (!settings.alertPresets.includes(rule.preset.name)) continue;
    rules.push({
      name: `${settings.applicationName}-${ruleSuffix(rule.key)}`,
      preset: rule.preset.name,
      severity: rule.preset.severity,
      suppressible: rule.preset.suppressible,
      pattern: resolvedPattern(rule, names, ignored),
      allManagementEvents: false,
    });
  }
  return rules;
}

/** Whether the stack creates forwarding rules at all: only while an enabled preset has a regional part. */
export function forwardsRegionalEvents(settings: DetectionSettings): boolean {
  return presetRules().some((r) => r.part.scope === "regional" && settings.alertPresets.includes(r.preset.name));
}

export { forwardingPattern };
