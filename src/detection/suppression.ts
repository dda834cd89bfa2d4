import type { PresetRule } from "./rule-keys";
import type { DeploymentNames, EventPattern } from "./types";

/**
 * The detail keys that keep a suppressible rule from alerting on the listed
 * principals: an IAM user or role ARN in `userIdentity.arn`, or, for
 * assumed-role sessions (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, a
 * new session name each time), the role ARN in
 * `userIdentity.sessionContext.sessionIssuer.arn`.
 *
 * `anything-but` does not match an absent field, so each test is paired with
 * `exists: false` in an `$or`: an event without that field (an AWSService
 * identity has no `arn`; an IAM user has no session issuer) is not dropped.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function suppressionDetail(ignoredPrincipalArns: string[] | string): EventPattern {
  const notIgnored = (field: string): EventPattern[] => [
    { [field]: [{ "anything-but": ignoredPrincipalArns }] },
    { [field]: [{ exists: false }] },
  ];
  return {
    userIdentity: {
      $or: notIgnored("arn"),
      sessionContext: { sessionIssuer: { $or: notIgnored("arn") } },
    },
  };
}

/**
 * A rule's pattern with suppression applied (plain values; what the
 * Terraform expression evaluates to). Used by tests to state the expected
 * planned pattern; the stack builds the same through HCL.
 */
export function resolvedPattern(rule: PresetRule, names: DeploymentNames, ignoredPrincipalArns: string[]): EventPattern {
  const pattern = rule.part.pattern(names);
  return rule.preset.suppressible ? suppressedPattern(pattern, ignoredPrincipalArns) : pattern;
}

/** Any pattern with suppression applied as the stack applies it (none for an empty list); plain values. */
export function suppressedPattern(pattern: EventPattern, ignoredPrincipalArns: string[]): EventPattern {
  if (ignoredPrincipalArns.length === 0) return pattern;
  return { ...pattern, detail: mergeDetail(pattern.detail ?? {}, suppressionDetail(ignoredPrincipalArns)) };
}

/** Shallow merge, as Terraform's `merge()` does. */
function mergeDetail(a: EventPattern, b: EventPattern): EventPattern {
  return { ...a, ...b };
}

