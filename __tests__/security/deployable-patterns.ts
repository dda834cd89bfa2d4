/**
 * Every event pattern the stack can deploy, as plain values: each preset
 * part and the `iam_events` rule, without and with `ignored_principal_arns`,
 * and the forwarding rule of the watched regions. Built from the same
 * functions the stack synthesizes from (the planned patterns equal these:
 * `__tests__/presets/presets-plan.test.ts`), over the names of a default
 * deployment on moto's account, so that variants aimed at this deployment's
 * own trail, buckets, rules, function and topic match.
 */
import { DEFAULT_IAM_EVENTS } from "../../src/config/variables";
import {
  forwardingPattern,
  iamEventsPattern,
  presetRules,
  resolvedPattern,
  suppressedPattern,
  type DeploymentNames,
  type EventPattern,
} from "../../src/detection";

export const ACCOUNT = "123456789012"; // moto's default account
export const HOME_REGION = "eu-west-1";
const APP = "cloudtrail-alerting";

export const NAMES: DeploymentNames = {
  namePrefix: APP,
  trailName: `${APP}-trail`,
  logBucketName: `${APP}-logs-${ACCOUNT}-${HOME_REGION}`,
  accessLogBucketName: `${APP}-s3logs-${ACCOUNT}-${HOME_REGION}`,
  functionName: `${APP}-notifier`,
  topicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${APP}-alerts`,
};

/** A user and a role, as `ignored_principal_arns` takes them. */
export const IGNORED = [`arn:aws:iam::${ACCOUNT}:user/ci-deploy`, `arn:aws:iam::${ACCOUNT}:role/automation`];

export interface DeployablePattern {
  /** `<rule key>`, with ` +ignored` when built with `ignored_principal_arns`. */
  readonly name: string;
  readonly pattern: EventPattern;
}

export function deployablePatterns(): DeployablePattern[] {
  const patterns: DeployablePattern[] = [];
  for (const ignored of [[], IGNORED]) {
    const suffix = ignored.length > 0 ? " +ignored" : "";
    patterns.push({ name: `iam-events${suffix}`, pattern: suppressedPattern(iamEventsPattern(DEFAULT_IAM_EVENTS), ignored) });
    for (const rule of presetRules()) patterns.push({ name: `${rule.key}${suffix}`, pattern: resolvedPattern(rule, NAMES, ignored) });
  }
  patterns.push({ name: "forward-to-alerting-region", pattern: forwardingPattern() });
  return patterns;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A `source` matcher that can only match an `aws.` source: an exact `aws.<service>`, or a prefix that starts with `aws.`. */
function awsOnlyMatcher(matcher: unknown): boolean {
  if (typeof matcher === "string") return matcher.startsWith("aws.");
  if (!isObject(matcher) || Object.keys(matcher).length !== 1) return false;
  return typeof matcher.prefix === "string" && matcher.prefix.startsWith("aws.");
}

/**
 * Whether every event the pattern can match has an `aws.` source: the
 * pattern constrains `source` to such matchers, or is a top-level `$or`
 * whose every branch does.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function admitsOnlyAwsSources(pattern: EventPattern): boolean {
  if (pattern.source !== undefined) {
    return Array.isArray(pattern.source) && pattern.source.length > 0 && pattern.source.every(awsOnlyMatcher);
  }
  const branches: unknown = pattern.$or;
  return Array.isArray(branches) && branches.length > 0 && branches.every((b) => isObject(b) && admitsOnlyAwsSources(b));
}
