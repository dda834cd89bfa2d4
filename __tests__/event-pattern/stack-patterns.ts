/**
 * Every pattern the stack can plan, for the differential test: each preset
 * part, the rule on `iam_events` and the forwarding pattern, for two sets of
 * deployment names, with and without ignored principals.
 */
import { presetRules, resolvedPattern, type DeploymentNames, type EventPattern } from "../../src/detection";
import { DEFAULT_IAM_EVENTS } from "../../src/config/variables";
import { forwardingPattern, iamEventsPattern, namesFor } from "../../tools/backtest/catalogue-rules";

/**
 * The second set is made of names that occur in the fixture records (a
 * Stratus Red Team trail, buckets and function), so that the tamper parts,
 * which only match this deployment's own resources, also meet events they match.
 */
const FIXTURE_NAMES: DeploymentNames = {
  namePrefix: "cttest2",
  trailName: "stratus-red-team-ct-stop-trail-qzbgnfqisx",
  logBucketName: "stratus-red-team-ctes-bucket-qyxyekjbtk",
  accessLogBucketName: "stratus-red-team-ctlr-bucket-zqfsvooxqj",
  functionName: "stratus-red-team-backdoor-f-func",
  topicArn: "arn:aws:sns:us-east-1:123837392027:stratus-topic",
};

/** The principals behind most fixture records: an IAM user, and a role whose sessions called EC2. */
export const FIXTURE_IGNORED = [
  "arn:aws:iam::123837392027:user/bert-jan",
  "arn:aws:iam::123837392027:role/stratus-red-team-ec2-get-password-data-role",
];

export function stackPatterns(): Record<string, EventPattern> {
  const patterns: Record<string, EventPattern> = {};
  const nameSets: [string, DeploymentNames][] = [
    ["defaults", namesFor("cloudtrail-alerting", "123456789012", "us-east-1")],
    ["fixture-names", FIXTURE_NAMES],
  ];
  const ignoredSets: [string, string[]][] = [
    ["", []],
    [" +ignored", FIXTURE_IGNORED],
  ];
  for (const [namesLabel, names] of nameSets) {
    for (const [ignoredLabel, ignored] of ignoredSets) {
      for (const rule of presetRules()) patterns[`${rule.key} (${namesLabel}${ignoredLabel})`] = resolvedPattern(rule, names, ignored);
    }
  }
  patterns["iam-events"] = iamEventsPattern(DEFAULT_IAM_EVENTS, []);
  patterns["iam-events +ignored"] = iamEventsPattern(DEFAULT_IAM_EVENTS, FIXTURE_IGNORED);
  patterns["forwarding"] = forwardingPattern();
  return patterns;
}
