import { TerraformStack } from "cdktf";

/**
 * `moved` blocks: every address a released version deployed that the code
 * now names differently. Without them Terraform would plan to destroy the old
 * address and create the new one, and for the log buckets that means
 * deleting audit logs. `__tests__/upgrade/` applies v0.1.0 on the emulator
 * and checks that the current code plans no delete over it.
 * https://developer.hashicorp.com/terraform/language/modules/develop/refactoring
 */
export interface Move {
  readonly from: string;
  readonly to: string;
}

/** Before v0.1.0: the seed's root rule became the root-activity preset (a for_each instance). */
function seedRootRuleMoves(presetRulesId: string): Move[] {
  const toRootActivity = (type: string, from: string, to: string): Move => ({
    from: `${type}.${from}`,
    to: `${type}.${to}["root-activity"]`,
  });
  return [
    toRootActivity("aws_cloudwatch_event_rule", "event_rules_root_activity", presetRulesId),
    toRootActivity("aws_cloudwatch_event_target", "event_rules_root_activity_target", "event_rules_presets_target"),
    toRootActivity("aws_lambda_permission", "event_rules_root_activity_permission", "event_rules_presets_permission"),
    toRootActivity("aws_cloudwatch_metric_alarm", "failure_alarms_root_activity_failed_invocations", "failure_alarms_presets_failed_invocations"),
  ];
}

/** After v0.1.0: the trail became optional (`create_trail`), so it is instance 0 of a counted resource. */
const OPTIONAL_TRAIL: Move[] = [{ from: "aws_cloudtrail.audit_trail_trail", to: "aws_cloudtrail.audit_trail_trail[0]" }];

/** Writes every move into the stack's Terraform JSON. */
export function addUpgradeMoves(stack: TerraformStack, presetRulesId: string): void {
  stack.addOverride("moved", [...seedRootRuleMoves(presetRulesId), ...OPTIONAL_TRAIL]);
}
