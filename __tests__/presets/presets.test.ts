/**
 * The detection presets as data and as synthesized: every preset the issue
 * names, each part keyed, labelled and scoped, suppression only where allowed,
 * and the rules, targets, permissions and alarms created per enabled part.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_ALERT_PRESETS,
  MAX_RULE_SUFFIX,
  PRESET_NAMES,
  PRESETS,
  presetRules,
  resolvedPattern,
  ruleSuffix,
  type DeploymentNames,
} from "../../src/detection";
import { Json, resourcesOf, synthStack } from "../support/synth";

let synth: Json;
beforeAll(() => {
  synth = synthStack();
});

const catalog = (): Record<string, Json> => synth.locals.alert_presets_catalog;
const NAMES: DeploymentNames = {
  namePrefix: "app",
  trailName: "app-trail",
  logBucketName: "app-logs",
  accessLogBucketName: "app-s3logs",
  functionName: "app-notifier",
  topicArn: "arn:aws:sns:us-east-1:111122223333:app-alerts",
};

describe("the preset catalog", () => {
  it("has every preset the issue names, with a severity each", () => {
    expect([...PRESET_NAMES].sort()).toEqual(
      [
        "account-guardrails",
        "cis-aws-foundations",
        "console-signin",
        "iam-federation",
        "iam-persistence",
        "iam-privilege-escalation",
        "mfa-tampering",
        "monitoring-tamper",
        "root-activity",
      ].sort(),
    );
    for (const preset of PRESETS) expect(["critical", "high", "medium"]).toContain(preset.severity);
  });

  it("enables root-activity and monitoring-tamper by default", () => {
    expect(DEFAULT_ALERT_PRESETS).toEqual(["root-activity", "monitoring-tamper"]);
    expect(synth.variable.alert_presets.default).toEqual(["root-activity", "monitoring-tamper"]);
    expect(synth.variable.alert_presets.type).toBe("list(string)");
    expect(synth.variable.ignored_principal_arns.default).toEqual([]);
  });

  it("never lets root activity or monitoring tampering be suppressed", () => {
    const suppressible = Object.fromEntries(PRESETS.map((p) => [p.name, p.suppressible]));
    expect(suppressible["root-activity"]).toBe(false);
    expect(suppressible["monitoring-tamper"]).toBe(false);
    expect(PRESETS.filter((p) => p.suppressible).map((p) => p.name).sort()).toEqual(
      ["iam-federation", "iam-persistence", "iam-privilege-escalation", "mfa-tampering"].sort(),
    );
  });

  it("names the public detection content of each preset", () => {
    for (const preset of PRESETS) expect(preset.references.length, preset.name).toBeGreaterThan(0);
  });

  it("gives every rule a name suffix short enough for a 64-character rule name with a 28-character application_name", () => {
    for (const { key } of presetRules()) {
      expect(ruleSuffix(key).length, key).toBeLessThanOrEqual(MAX_RULE_SUFFIX);
      expect(ruleSuffix(key), key).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it("keys are unique", () => {
    const keys = presetRules().map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("suppressible patterns leave userIdentity free for the suppression they get merged with", () => {
    for (const rule of presetRules().filter((r) => r.preset.suppressible)) {
      expect(rule.part.pattern(NAMES).detail.userIdentity, rule.key).toBeUndefined();
    }
  });

  it("keeps global-only events (IAM, Organizations, this deployment's us-east-1 resources) in the global scope", () => {
    for (const rule of presetRules()) {
      const source = rule.part.pattern(NAMES).source as string[] | undefined;
      if (source?.some((s) => ["aws.iam", "aws.organizations", "aws.events", "aws.lambda", "aws.sns"].includes(s))) {
        expect(rule.part.scope, rule.key).toBe("global");
      }
    }
    expect(presetRules().filter((r) => r.part.scope === "regional").map((r) => r.key)).toEqual(
      expect.arrayContaining(["root-activity", "monitoring-tamper/cloudtrail", "monitoring-tamper/s3", "console-signin/no-mfa"]),
    );
  });
});

describe("patterns", () => {
  const pattern = (key: string, ignored: string[] = []): Json => {
    const rule = presetRules().find((r) => r.key === key);
    if (rule === undefined) throw new Error(`no rule ${key}`);
    return resolvedPattern(rule, NAMES, ignored);
  };

  it("root-activity: Root API calls and sign-ins from AWS sources, not on behalf of the root by a service", () => {
    expect(pattern("root-activity")).toEqual({
      source: [{ prefix: "aws." }],
      "detail-type": ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"],
      detail: {
        userIdentity: {
          type: ["Root"],
          $or: [{ invokedBy: [{ exists: false }] }, { invokedBy: ["signin.amazonaws.com"] }],
        },
        eventType: [{ "anything-but": "AwsServiceEvent" }],
      },
    });
  });

  it("monitoring-tamper: this trail by name or ARN, under either parameter name", () => {
    expect(pattern("monitoring-tamper/cloudtrail").detail).toEqual({
      eventSource: ["cloudtrail.amazonaws.com"],
      eventName: ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"],
      $or: [
        { requestParameters: { name: ["app-trail", { suffix: ":trail/app-trail" }] } },
        { requestParameters: { trailName: ["app-trail", { suffix: ":trail/app-trail" }] } },
      ],
    });
  });

  it("monitoring-tamper: both log buckets, this deployment's rules, function and topic", () => {
    expect(pattern("monitoring-tamper/s3").detail.requestParameters).toEqual({ bucketName: ["app-logs", "app-s3logs"] });
    expect(pattern("monitoring-tamper/events").detail.$or).toEqual([
      { requestParameters: { name: [{ prefix: "app-" }] } },
      { requestParameters: { rule: [{ prefix: "app-" }] } },
    ]);
    const lambda = pattern("monitoring-tamper/lambda").detail;
    expect(lambda.requestParameters).toEqual({ functionName: ["app-notifier", { suffix: ":function:app-notifier" }] });
    expect(lambda.eventName).toContainEqual({ prefix: "UpdateFunctionCode" });
    expect(pattern("monitoring-tamper/sns").detail.$or).toEqual([
      { requestParameters: { topicArn: ["arn:aws:sns:us-east-1:111122223333:app-alerts"] } },
      { requestParameters: { subscriptionArn: [{ prefix: "arn:aws:sns:us-east-1:111122223333:app-alerts:" }] } },
    ]);
  });

  it("console-signin: IAM users without MFA (not assumed roles or SSO), and failures", () => {
    expect(pattern("console-signin/no-mfa").detail).toMatchObject({
      eventName: ["ConsoleLogin"],
      userIdentity: { type: ["IAMUser"] },
      additionalEventData: { MFAUsed: ["No"] },
      responseElements: { ConsoleLogin: ["Success"] },
    });
    expect(pattern("console-signin/failed").detail.responseElements).toEqual({ ConsoleLogin: ["Failure"] });
  });

  it("suppression excludes the listed principals by ARN or issuing role, and keeps events without either field", () => {
    const ignored = ["arn:aws:iam::111122223333:role/ci"];
    const notIgnored = [{ arn: [{ "anything-but": ignored }] }, { arn: [{ exists: false }] }];
    expect(pattern("iam-persistence", ignored).detail.userIdentity).toEqual({
      $or: notIgnored,
      sessionContext: { sessionIssuer: { $or: notIgnored } },
    });
    expect(pattern("root-activity", ignored)).toEqual(pattern("root-activity"));
    expect(pattern("monitoring-tamper/cloudtrail", ignored)).toEqual(pattern("monitoring-tamper/cloudtrail"));
  });
});

describe("synthesized", () => {
  it("puts every preset part in the alert_presets_catalog local, labelled with preset, severity and scope", () => {
    expect(Object.keys(catalog()).sort()).toEqual(presetRules().map((r) => r.key).sort());
    for (const { key, preset, part } of presetRules()) {
      expect(catalog()[key], key).toMatchObject({
        preset: preset.name,
        severity: preset.severity,
        scope: part.scope,
        name_suffix: ruleSuffix(key),
        input_template: `{"preset":"${preset.name}","severity":"${preset.severity}","event":<aws.events.event.json>}`,
      });
      expect(catalog()[key].event_pattern, key).toMatch(/^\$\{jsonencode\(/);
    }
  });

  it("builds patterns over this deployment's names, so they follow application_name", () => {
    expect(catalog()["monitoring-tamper/cloudtrail"].event_pattern).toContain('"${var.application_name}-trail"');
    expect(catalog()["monitoring-tamper/sns"].event_pattern).toContain(":sns:us-east-1:${data.aws_caller_identity.account.account_id}:${var.application_name}-alerts");
  });

  it("applies ignored_principal_arns to suppressible presets and iam_events only, and only when the list is non-empty", () => {
    for (const { key, preset } of presetRules()) {
      const refersToIgnored = catalog()[key].event_pattern.includes("var.ignored_principal_arns");
      expect({ key, refersToIgnored }).toEqual({ key, refersToIgnored: preset.suppressible });
    }
    const iam = resourcesOf(synth, "aws_cloudwatch_event_rule").event_rules_iam_events.event_pattern;
    expect(iam).toContain("length(var.ignored_principal_arns) >= 1");
    expect(iam).toContain('"anything-but" = var.ignored_principal_arns');
  });

  it("selects the enabled parts at plan time from var.alert_presets", () => {
    expect(synth.locals.alert_preset_rules).toBe(
      "${{ for key, rule in local.alert_presets_catalog : key => rule if contains(var.alert_presets, rule.preset) }}",
    );
  });

  it("creates one rule, target, permission and FailedInvocations alarm per enabled part", () => {
    const rule = resourcesOf(synth, "aws_cloudwatch_event_rule").event_rules_presets;
    expect(rule).toMatchObject({
      for_each: "${local.alert_preset_rules}",
      name: "${var.application_name}-${each.value.name_suffix}",
      event_pattern: "${each.value.event_pattern}",
      provider: "aws.alerting",
    });
    const perInstance = "${aws_cloudwatch_event_rule.event_rules_presets}";
    const target = resourcesOf(synth, "aws_cloudwatch_event_target").event_rules_presets_target;
    expect(target).toMatchObject({ for_each: perInstance, rule: "${each.value.name}", arn: "${aws_lambda_function.notifier_function.arn}" });
    expect(target.input_transformer.input_template).toBe("${local.alert_preset_rules[each.key].input_template}");
    expect(resourcesOf(synth, "aws_lambda_permission").event_rules_presets_permission).toMatchObject({
      for_each: perInstance,
      source_arn: "${each.value.arn}",
    });
    expect(resourcesOf(synth, "aws_cloudwatch_metric_alarm").failure_alarms_presets_failed_invocations).toMatchObject({
      for_each: perInstance,
      dimensions: { RuleName: "${each.value.name}" },
    });
  });

  it("labels the iam_events rule's alerts too", () => {
    expect(resourcesOf(synth, "aws_cloudwatch_event_target").event_rules_iam_events_target.input_transformer.input_template).toBe(
      '{"preset":"iam-events","severity":"high","event":<aws.events.event.json>}',
    );
  });

  it("moves the seed's root rule, target, permission and alarm to the root-activity instances instead of replacing them", () => {
    expect(synth.moved).toEqual([
      { from: "aws_cloudwatch_event_rule.event_rules_root_activity", to: 'aws_cloudwatch_event_rule.event_rules_presets["root-activity"]' },
      { from: "aws_cloudwatch_event_target.event_rules_root_activity_target", to: 'aws_cloudwatch_event_target.event_rules_presets_target["root-activity"]' },
      { from: "aws_lambda_permission.event_rules_root_activity_permission", to: 'aws_lambda_permission.event_rules_presets_permission["root-activity"]' },
      {
        from: "aws_cloudwatch_metric_alarm.failure_alarms_root_activity_failed_invocations",
        to: 'aws_cloudwatch_metric_alarm.failure_alarms_presets_failed_invocations["root-activity"]',
      },
      { from: "aws_cloudtrail.audit_trail_trail", to: "aws_cloudtrail.audit_trail_trail[0]" },
    ]);
  });
});
