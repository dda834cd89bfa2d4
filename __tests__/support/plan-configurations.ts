/**
 * Configurations that more than one suite plans. Each `terraform plan` plus
 * `terraform show -json` of this stack costs about 9 s of CPU (the AWS
 * provider starts once per provider configuration and walk), and `planOf`
 * computes each distinct input once per run, so suites that need unrelated
 * non-default values share one plan in which all of them are set. Each suite
 * asserts only on its own variables; the others are chosen not to touch what
 * it checks (said next to each configuration).
 */

/** moto's default account: every plan on the shared emulator is in it. */
export const PLAN_ACCOUNT = "123456789012";

/**
 * `TF_VAR_*` overrides, HCL-quoted (sns_endpoint takes a string or a list).
 * terraform-plan.test.ts checks recipients and event names; security-posture
 * checks the trail's CloudWatch Logs delivery.
 */
export const ENV_OVERRIDES: Readonly<Record<string, string>> = {
  TF_VAR_sns_endpoint: '"oncall@example.com"',
  TF_VAR_iam_events: '["CreateUser","DeleteUser"]',
  TF_VAR_trail_cloudwatch_logs_enabled: "true",
};

/**
 * One preset and the shortest heartbeat. presets-plan checks the preset's
 * rules; liveness-plan checks the schedule's rate (the singular "minute").
 */
export const ONE_PRESET_FAST_HEARTBEAT = { alert_presets: ["console-signin"], heartbeat_interval_minutes: 1 };

/**
 * No presets and no heartbeat: only iam_events alerts. presets-plan checks
 * that no preset rule is planned; liveness-plan that no heartbeat is.
 */
export const NO_PRESETS_NO_HEARTBEAT = { alert_presets: [], heartbeat_interval_minutes: null };

/**
 * Global presets only, a 5-minute heartbeat, the heartbeat's scheduler role
 * ignored, TagRole in iam_events and two recipients. presets-plan checks
 * that nothing is forwarded; liveness-plan checks the rate, that the
 * heartbeat rule ignores no one, the TagRole warning and the recipients'
 * subscriptions.
 */
export const GLOBAL_PRESETS_AND_LIVENESS_EDGES = {
  alert_presets: ["iam-persistence", "mfa-tampering"],
  heartbeat_interval_minutes: 5,
  ignored_principal_arns: [`arn:aws:iam::${PLAN_ACCOUNT}:role/cloudtrail-alerting-heartbeat-scheduler`],
  iam_events: ["CreateUser", "TagRole"],
  sns_endpoint: ["a@example.com", "b@example.org"],
};
