/**
 * Configurations that more than one suite plans. Each `terraform plan` plus
 * `terraform show -json` of this stack costs about 10 s of CPU (the AWS
 * provider starts once per provider configuration and walk; see
 * `BENCH_ONLY=terraform npm run bench`), and `planOf` computes each distinct
 * input once per run, so suites that need unrelated non-default values share
 * one plan in which all of them are set. Each suite asserts only on its own
 * variables; the others are chosen not to touch what it checks (said next to
 * each configuration), and the suites check the values they rely on.
 */
import { join } from "node:path";
import { type PlanOptions, type PlanRun, planRunOf } from "./shared";
import { PROJECT_ROOT } from "./synth";
import type { PlanJson } from "./terraform";

export interface SharedPlan {
  /** Written as a `.tfvars.json` and given with `-var-file`. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly options: PlanOptions;
}

/** moto's default account: every plan on the shared emulator is in it. */
export const PLAN_ACCOUNT = "123456789012";

/** The seed's tfvars, as the hand-written Terraform this project replaces had them. */
export const SEED_TFVARS = join(PROJECT_ROOT, "__tests__", "fixtures", "seed.tfvars");

/**
 * `TF_VAR_*` overrides (HCL-quoted: sns_endpoint takes a string or a list)
 * beside a tfvars file that sets other variables: one preset and the shortest
 * heartbeat. terraform-plan checks recipients and event names (from the
 * environment); security-posture the trail's CloudWatch Logs delivery;
 * presets-plan the one preset's rules; liveness-plan the schedule's rate (the
 * singular "minute").
 */
export const OVERRIDES: SharedPlan = {
  vars: { alert_presets: ["console-signin"], heartbeat_interval_minutes: 1 },
  options: {
    env: {
      TF_VAR_sns_endpoint: '"oncall@example.com"',
      TF_VAR_iam_events: '["CreateUser","DeleteUser"]',
      TF_VAR_trail_cloudwatch_logs_enabled: "true",
    },
  },
};

/**
 * The seed's tfvars file, with no presets and no heartbeat besides (none of
 * which the seed sets): only iam_events alerts. terraform-plan checks the
 * seed's recipient and events; presets-plan that no preset rule is planned;
 * liveness-plan that no heartbeat is.
 */
export const SEED_WITHOUT_PRESETS_OR_HEARTBEAT: SharedPlan = {
  vars: { alert_presets: [], heartbeat_interval_minutes: null },
  options: { varFile: SEED_TFVARS },
};

/**
 * Global presets only, a 5-minute heartbeat, the heartbeat's scheduler role
 * ignored, TagRole in iam_events and two recipients. presets-plan checks
 * that nothing is forwarded; liveness-plan checks the rate, that the
 * heartbeat rule ignores no one, the TagRole warning and the recipients'
 * subscriptions.
 */
export const GLOBAL_PRESETS_AND_LIVENESS_EDGES: SharedPlan = {
  vars: {
    alert_presets: ["iam-persistence", "mfa-tampering"],
    heartbeat_interval_minutes: 5,
    ignored_principal_arns: [`arn:aws:iam::${PLAN_ACCOUNT}:role/cloudtrail-alerting-heartbeat-scheduler`],
    iam_events: ["CreateUser", "TagRole"],
    sns_endpoint: ["a@example.com", "b@example.org"],
  },
  options: {},
};

/** The plan of a shared configuration, and what terraform printed (computed once per run). */
export function planRunShared(configuration: SharedPlan): Promise<PlanRun> {
  return planRunOf({ ...configuration.vars }, configuration.options);
}

/** The plan JSON of a shared configuration. */
export async function planShared(configuration: SharedPlan): Promise<PlanJson> {
  return (await planRunShared(configuration)).plan;
}
