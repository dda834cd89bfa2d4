/**
 * Every event pattern the stack can deploy admits only AWS sources, so an
 * event that someone allowed `events:PutEvents` sends with a custom source
 * (customers' events may not begin with "aws.":
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html)
 * can never raise an alert or be forwarded. Structural: runs without Java.
 */
import { describe, expect, it } from "vitest";
import { forwardingPattern, presetRules } from "../../src/detection";
import { resourcesOf, synthStack } from "../support/synth";
import { admitsOnlyAwsSources, deployablePatterns } from "./deployable-patterns";

describe("the source constraint", () => {
  it("every deployable pattern (each preset part and iam_events, with and without ignored principals, and forwarding) admits only aws.* sources", () => {
    const patterns = deployablePatterns();
    expect(patterns).toHaveLength(2 * (presetRules().length + 1) + 1);
    const unconstrained = patterns.filter((p) => !admitsOnlyAwsSources(p.pattern)).map((p) => p.name);
    expect(unconstrained).toEqual([]);
  });

  it("the check itself: an exact aws.<service> or a prefix starting with aws. passes; anything wider fails", () => {
    expect(admitsOnlyAwsSources({ source: ["aws.iam", "aws.sts"] })).toBe(true);
    expect(admitsOnlyAwsSources({ source: [{ prefix: "aws." }] })).toBe(true);
    expect(admitsOnlyAwsSources({ $or: [{ source: ["aws.s3"] }, { source: [{ prefix: "aws." }] }] })).toBe(true);
    expect(admitsOnlyAwsSources({ "detail-type": ["AWS API Call via CloudTrail"] })).toBe(false);
    expect(admitsOnlyAwsSources({ source: [{ prefix: "aws" }] })).toBe(false);
    expect(admitsOnlyAwsSources({ source: ["aws.iam", "attacker.custom"] })).toBe(false);
    expect(admitsOnlyAwsSources({ source: [{ "anything-but": "attacker.custom" }] })).toBe(false);
    expect(admitsOnlyAwsSources({ source: [{ prefix: "aws.", suffix: "x" }] })).toBe(false);
    expect(admitsOnlyAwsSources({ source: [] })).toBe(false);
    expect(admitsOnlyAwsSources({ $or: [{ source: ["aws.s3"] }, { detail: { eventName: ["X"] } }] })).toBe(false);
  });
});

describe("the list of deployable patterns is complete", () => {
  // Forwarding from two explicit regions besides us-east-1: every kind of rule the stack has.
  const synth = synthStack({ watchRegions: ["us-east-1", "eu-west-1", "ap-southeast-2"] });
  const rules = resourcesOf(synth, "aws_cloudwatch_event_rule");

  it("the stack's rules are the iam_events rule, one rule per enabled preset part, one forwarding rule per watched region, and the liveness rules", () => {
    expect(Object.keys(rules).sort()).toEqual(
      [
        "event_rules_iam_events",
        "event_rules_presets",
        "forwarding_ap_southeast_2_rule",
        "forwarding_eu_west_1_rule",
        // src/liveness/: the heartbeat, and the watched regions' alarm state changes routed to us-east-1.
        "forwarding_ap_southeast_2_alarm_rule",
        "forwarding_eu_west_1_alarm_rule",
        "heartbeat_rule_rule",
        "regional_alarms_rule",
      ].sort(),
    );
  });

  it("the liveness rules pin an AWS source too (IAM for the heartbeat, CloudWatch for alarm state changes)", () => {
    for (const name of ["forwarding_ap_southeast_2_alarm_rule", "forwarding_eu_west_1_alarm_rule", "regional_alarms_rule"]) {
      expect(rules[name].event_pattern, name).toMatch(/^\$\{jsonencode\(\{"source" = \["aws\.cloudwatch"\], /);
    }
    expect(rules.heartbeat_rule_rule.event_pattern).toMatch(/^\$\{jsonencode\(\{"source" = \["aws\.iam"\], /);
  });

  it("preset rules take their patterns from the catalogue, which has exactly the preset parts", () => {
    expect(rules.event_rules_presets.event_pattern).toBe("${each.value.event_pattern}");
    expect(Object.keys(synth.locals.alert_presets_catalog).sort()).toEqual(presetRules().map((r) => r.key).sort());
  });

  it("the iam_events rule is built by iamEventsPattern (IAM source), and forwarding rules carry forwardingPattern()", () => {
    expect(rules.event_rules_iam_events.event_pattern).toMatch(/^\$\{jsonencode\(\{"source" = \["aws\.iam"\],/);
    for (const region of ["eu_west_1", "ap_southeast_2"]) {
      expect(JSON.parse(rules[`forwarding_${region}_rule`].event_pattern)).toEqual(forwardingPattern());
    }
  });
});
