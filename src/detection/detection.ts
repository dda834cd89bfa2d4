import { Construct } from "constructs";
import { Fn, Op, TerraformLocal, TerraformProvider } from "cdktf";
import { Composite } from "../shared/composite";
import { expr } from "../shared/expressions";
import type { DeploymentNaming } from "../config/naming";
import { EventRules, labelledInputTemplate } from "./event-rules";
import { iamEventsPattern } from "./pattern-builders";
import { IAM_EVENTS_LABEL } from "./presets";
import { presetRules, ruleSuffix } from "./rule-keys";
import { suppressionDetail } from "./suppression";
import type { DeploymentNames, EventPattern } from "./types";

export interface DetectionProps {
  /** The us-east-1 provider: IAM and other global events reach EventBridge only there. */
  readonly provider: TerraformProvider;
  readonly naming: DeploymentNaming;
  /** `var.iam_events` (a Terraform list expression). */
  readonly iamEvents: string[];
  /** `var.ignored_principal_arns` (a Terraform list expression). */
  readonly ignoredPrincipalArns: string[];
  /** The function every rule delivers to. */
  readonly targetFunctionArn: string;
  readonly targetFunctionName: string;
  /** See EventRulesProps.additionalRuleSuffixes. @default - none */
  readonly additionalDeadLetterRuleSuffixes?: string[];
}

/**
 * What alerts: the rule on the user's `iam_events` and one rule per enabled
 * preset part, in us-east-1. The preset catalogue becomes two Terraform
 * locals (every part, with patterns built over this deployment's names, and
 * the subset `alert_presets` enables) so that a tfvars change decides at plan
 * time which rules exist.
 */
export class Detection extends Composite {
  public readonly rules: EventRules;
  /** `local.alert_preset_rules`: the enabled preset parts, keyed `<preset>` or `<preset>/<part>`. */
  public readonly enabledPresetRules: TerraformLocal;

  constructor(scope: Construct, id: string, props: DetectionProps) {
    super(scope, id);
    const { naming } = props;
    const names: DeploymentNames = {
      namePrefix: naming.name,
      trailName: naming.trailName,
      logBucketName: naming.logBucketName,
      accessLogBucketName: naming.accessLogBucketName,
      functionName: naming.functionName,
      topicArn: naming.topicArn,
    };
    // `anything-but` with an empty list is not a valid pattern, so suppression
    // is merged into a pattern only when the list is non-empty (jsonencode on
    // both sides keeps the conditional's types equal).
    const suppression = Fn.jsondecode(
      Fn.conditional(
        Op.gte(Fn.lengthOf(props.ignoredPrincipalArns), 1),
        Fn.jsonencode(suppressionDetail(props.ignoredPrincipalArns)),
        "{}",
      ),
    );
    const suppressed = (pattern: EventPattern): EventPattern => ({ ...pattern, detail: Fn.merge([pattern.detail ?? {}, suppression]) });

    const catalog = new TerraformLocal(
      this,
      "alert_presets_catalog",
      Object.fromEntries(
        presetRules().map(({ key, preset, part }) => [
          key,
          {
            preset: preset.name,
            severity: preset.severity,
            scope: part.scope,
            name_suffix: ruleSuffix(key),
            description: `${preset.name} (${preset.severity}): ${part.description}`,
            input_template: labelledInputTemplate(preset.name, preset.severity),
            event_pattern: Fn.jsonencode(preset.suppressible ? suppressed(part.pattern(names)) : part.pattern(names)),
          },
        ]),
      ),
    );
    this.enabledPresetRules = new TerraformLocal(
      this,
      "alert_preset_rules",
      expr(`{ for key, rule in local.${catalog.friendlyUniqueId} : key => rule if contains(var.alert_presets, rule.preset) }`),
    );

    this.rules = new EventRules(this, "event-rules", {
      provider: props.provider,
      namePrefix: naming.name,
      iamEventsPattern: Fn.jsonencode(suppressed(iamEventsPattern(props.iamEvents))),
      iamEventsInputTemplate: labelledInputTemplate(IAM_EVENTS_LABEL.preset, IAM_EVENTS_LABEL.severity),
      presetRules: this.enabledPresetRules,
      ruleArnPrefix: naming.ruleArnPrefix,
      targetFunctionArn: props.targetFunctionArn,
      targetFunctionName: props.targetFunctionName,
      deadLetterQueueName: `${naming.name}-delivery-dlq`,
      additionalRuleSuffixes: props.additionalDeadLetterRuleSuffixes,
    });
  }
}
