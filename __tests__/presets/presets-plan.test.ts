/**
 * The presets through the real Terraform CLI: `terraform plan` against moto
 * with tfvars that enable all presets, one preset, none, and ignored
 * principals; the planned event patterns (`terraform show -json`) must be
 * exactly the presets' patterns over this deployment's names. One init.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ALERT_PRESETS, PRESET_NAMES, presetRules, resolvedPattern, ruleSuffix, suppressionDetail, type DeploymentNames } from "../../src/detection";
import { GLOBAL_PRESETS_AND_LIVENESS_EDGES, OVERRIDES, planShared, SEED_WITHOUT_PRESETS_OR_HEARTBEAT } from "../support/plan-configurations";
import { planOf, planVariables } from "../support/shared";
import { PlanJson, planned } from "../support/terraform";

const HOME_REGION = "eu-west-1";
const ACCOUNT = "123456789012"; // moto's default account
const APP = "cloudtrail-alerting";
const NAMES: DeploymentNames = {
  namePrefix: APP,
  trailName: `${APP}-trail`,
  logBucketName: `${APP}-logs-${ACCOUNT}-${HOME_REGION}`,
  accessLogBucketName: `${APP}-s3logs-${ACCOUNT}-${HOME_REGION}`,
  functionName: `${APP}-notifier`,
  topicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${APP}-alerts`,
};
const IGNORED = ["arn:aws:iam::123837392027:user/bert-jan", "arn:aws:iam::123456789012:role/a-role"];
const RULE = "aws_cloudwatch_event_rule.event_rules_presets";

let varsDir: string;

const tfvars = (name: string, vars: Record<string, unknown>): string => {
  const file = join(varsDir, `${name}.tfvars.json`);
  writeFileSync(file, JSON.stringify(vars));
  return file;
};
/** A plan of the shared stack with these variables (`_name` says what the configuration is for). */
const plan = (_name: string, vars: Record<string, unknown>): Promise<PlanJson> => planOf(vars);

/** Planned preset rules by key (the for_each key), with their parsed patterns. */
function presetRulesIn(p: PlanJson): Map<string, { name: string; pattern: unknown }> {
  const rules = planned(p, "aws_cloudwatch_event_rule").filter((r) => r.address.startsWith(`${RULE}[`));
  return new Map(
    rules.map((r) => [JSON.parse(r.address.slice(RULE.length + 1, -1)) as string, { name: r.values.name, pattern: JSON.parse(r.values.event_pattern) }]),
  );
}
const keysOf = (presets: readonly string[]): string[] =>
  presetRules()
    .filter((r) => presets.includes(r.preset.name))
    .map((r) => r.key)
    .sort();
const iamPattern = (p: PlanJson): PlanJson =>
  JSON.parse(planned(p, "aws_cloudwatch_event_rule").find((r) => r.address === "aws_cloudwatch_event_rule.event_rules_iam_events")!.values.event_pattern);

beforeAll(() => {
  varsDir = mkdtempSync(join(tmpdir(), "cta-presets-"));
});

describe("planned with tfvars", () => {
  let defaults: PlanJson;
  let all: PlanJson;
  let allIgnoring: PlanJson;
  beforeAll(async () => {
    // Sequential: the machine is shared; each plan takes seconds.
    defaults = await plan("defaults", {});
    all = await plan("all", { alert_presets: PRESET_NAMES });
    allIgnoring = await plan("all-ignoring", { alert_presets: PRESET_NAMES, ignored_principal_arns: IGNORED });
  });

  it("defaults: the iam_events rule plus root-activity and monitoring-tamper", () => {
    expect([...presetRulesIn(defaults).keys()].sort()).toEqual(keysOf(DEFAULT_ALERT_PRESETS));
  });

  it("all presets: one rule per part, named <application_name>-<preset>[-<part>], with exactly the preset's pattern", () => {
    const rules = presetRulesIn(all);
    expect([...rules.keys()].sort()).toEqual(keysOf(PRESET_NAMES));
    for (const rule of presetRules()) {
      expect(rules.get(rule.key)?.name, rule.key).toBe(`${APP}-${ruleSuffix(rule.key)}`);
      expect(rules.get(rule.key)?.pattern, rule.key).toEqual(resolvedPattern(rule, NAMES, []));
    }
  });

  it("all presets: each target labels its events with the preset and severity", () => {
    const targets = planned(all, "aws_cloudwatch_event_target");
    for (const rule of presetRules()) {
      const target = targets.find((t) => t.address === `aws_cloudwatch_event_target.event_rules_presets_target[${JSON.stringify(rule.key)}]`);
      expect(target?.values.input_transformer, rule.key).toEqual([
        { input_paths: null, input_template: `{"preset":"${rule.preset.name}","severity":"${rule.preset.severity}","event":<aws.events.event.json>}` },
      ]);
      expect(target?.values.retry_policy, rule.key).toEqual([{ maximum_event_age_in_seconds: 86_400, maximum_retry_attempts: 185 }]);
    }
  });

  it("all presets: a FailedInvocations alarm and a Lambda permission per rule", () => {
    const alarms = planned(all, "aws_cloudwatch_metric_alarm").filter((a) => a.values.metric_name === "FailedInvocations");
    const permissions = planned(all, "aws_lambda_permission");
    for (const { key } of presetRules()) {
      expect(alarms.map((a) => a.values.dimensions.RuleName), key).toContain(`${APP}-${ruleSuffix(key)}`);
      expect(permissions.map((p) => p.values.statement_id), key).toContain(`AllowInvokeFrom-${ruleSuffix(key)}`);
    }
  });

  it("every planned pattern fits EventBridge's default 2048-character quota, even with ignored principals", () => {
    for (const p of [all, allIgnoring]) {
      for (const r of planned(p, "aws_cloudwatch_event_rule")) expect(r.values.event_pattern.length, r.address).toBeLessThanOrEqual(2048);
    }
  });

  it("no ignored principals: no suppression anywhere (anything-but with an empty list is not a valid pattern)", () => {
    expect(iamPattern(all).detail.userIdentity).toBeUndefined();
    for (const { pattern } of presetRulesIn(all).values()) expect(JSON.stringify(pattern)).not.toContain("anything-but\":[]");
  });

  it("ignored principals: suppressible presets and iam_events exclude them; root-activity, monitoring-tamper and the rest do not", () => {
    const rules = presetRulesIn(allIgnoring);
    for (const rule of presetRules()) {
      expect(rules.get(rule.key)?.pattern, rule.key).toEqual(resolvedPattern(rule, NAMES, IGNORED));
      const suppressed = JSON.stringify(rules.get(rule.key)?.pattern).includes(IGNORED[0]!);
      expect({ key: rule.key, suppressed }).toEqual({ key: rule.key, suppressed: rule.preset.suppressible });
    }
    expect(iamPattern(allIgnoring).detail).toEqual({
      eventSource: ["iam.amazonaws.com"],
      eventName: expect.any(Array),
      ...suppressionDetail(IGNORED),
    });
  });

  it("one preset only: just its rules; an empty list: only iam_events (besides the liveness rules)", async () => {
    // Shared plans (support/plan-configurations.ts): their heartbeat settings do not touch preset rules.
    const only = await planShared(OVERRIDES);
    expect(OVERRIDES.vars.alert_presets).toEqual(["console-signin"]);
    expect([...presetRulesIn(only).keys()].sort()).toEqual(["console-signin/failed", "console-signin/no-mfa"]);
    const none = await planShared(SEED_WITHOUT_PRESETS_OR_HEARTBEAT);
    expect(SEED_WITHOUT_PRESETS_OR_HEARTBEAT.vars.alert_presets).toEqual([]);
    expect([...presetRulesIn(none).keys()]).toEqual([]);
    // The heartbeat and regional-alarms rules alert nobody on an event (see __tests__/liveness/).
    const liveness = ["aws_cloudwatch_event_rule.heartbeat_rule_rule[0]", "aws_cloudwatch_event_rule.regional_alarms_rule"];
    expect(planned(none, "aws_cloudwatch_event_rule").map((r) => r.address).filter((a) => !liveness.includes(a))).toEqual([
      "aws_cloudwatch_event_rule.event_rules_iam_events",
    ]);
  });
});

describe("forwarding from the home region, resolved at plan time", () => {
  const FORWARD = "aws_cloudwatch_event_rule.forwarding_home_rule[0]";
  const has = (p: PlanJson, address: string): boolean => (p.planned_values?.root_module?.resources ?? []).some((r: PlanJson) => r.address === address);

  it("home region eu-west-1 with a regional preset: one forwarding rule and target to us-east-1's bus, and the role", async () => {
    const p = await plan("forwarding-defaults", {});
    expect(has(p, FORWARD)).toBe(true);
    const target = planned(p, "aws_cloudwatch_event_target").find((t) => t.address === "aws_cloudwatch_event_target.forwarding_home_target[0]");
    expect(target?.values).toMatchObject({
      arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`,
      role_arn: `arn:aws:iam::${ACCOUNT}:role/${APP}-event-forwarding`,
      rule: `${APP}-forward-to-alerting-region`,
    });
    expect(planned(p, "aws_iam_role").map((r) => r.values.name)).toContain(`${APP}-event-forwarding`);
  });

  it("only global presets enabled: nothing to forward", async () => {
    const p = await planShared(GLOBAL_PRESETS_AND_LIVENESS_EDGES);
    expect(GLOBAL_PRESETS_AND_LIVENESS_EDGES.vars.alert_presets).toEqual(["iam-persistence", "mfa-tampering"]);
    expect(has(p, FORWARD)).toBe(false);
    expect(planned(p, "aws_iam_role").map((r) => r.values.name)).not.toContain(`${APP}-event-forwarding`);
  });

  it("home region us-east-1: nothing is forwarded to itself, and no role is created", async () => {
    const p = await planOf({ alert_presets: PRESET_NAMES }, { region: "us-east-1" });
    expect(has(p, FORWARD)).toBe(false);
    expect(planned(p, "aws_iam_role").map((r) => r.values.name)).not.toContain(`${APP}-event-forwarding`);
  });
});

describe("bad preset tfvars fail the plan with an error naming the variable", () => {
  it.concurrent.for([
    ["an unknown preset", { alert_presets: ["root-activity", "everything"] }, "alert_presets", /alert_presets must contain only known preset names: root-activity, monitoring-tamper/],
    ["an assumed-role session ARN", { ignored_principal_arns: ["arn:aws:sts::123456789012:assumed-role/ci/session"] }, "ignored_principal_arns", /give the role's ARN/],
    ["something that is not an ARN", { ignored_principal_arns: ["ci-deploy"] }, "ignored_principal_arns", /ignored_principal_arns must contain IAM user or role ARNs/],
  ] as const)("%s", async ([_label, vars, variable, message], { expect }) => {
    const file = tfvars(`bad-${variable}-${Math.random().toString(36).slice(2)}`, vars);
    const result = await planVariables(file);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`var.${variable}`);
    expect(result.stderr.replace(/\s+/g, " ")).toMatch(message);
  });
});
