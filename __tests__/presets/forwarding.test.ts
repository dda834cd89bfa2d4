/**
 * Regional events reach the notifier from every watched region: forwarding
 * rules in each watched region other than us-east-1, for the enabled
 * regional preset parts only, to us-east-1's default bus with a role only
 * EventBridge can assume and that may only put events there.
 */
import { describe, expect, it } from "vitest";
import { Json, resourcesOf, synthApp, synthStack } from "../support/synth";

const BUS = "arn:${data.aws_partition.partition.partition}:events:us-east-1:${data.aws_caller_identity.account.account_id}:event-bus/default";
const forwardingRules = (synth: Json): Record<string, Json> =>
  Object.fromEntries(Object.entries(resourcesOf(synth, "aws_cloudwatch_event_rule")).filter(([id]) => id.startsWith("forwarding_")));
const providers = (synth: Json): [string | undefined, string | undefined][] => synth.provider.aws.map((p: Json) => [p.alias, p.region]);

describe("forwarding, home region left to the provider (the default)", () => {
  const synth = synthStack();

  it("forwards only the enabled regional preset parts", () => {
    expect(synth.locals.alert_forwarded_rules).toBe('${{ for key, rule in local.alert_preset_rules : key => rule if rule.scope == "regional" }}');
  });

  it("creates the home region's forwarding only if, at plan time, the home region is not us-east-1", () => {
    expect(synth.locals.alert_forwarded_rules_home).toBe(
      '${{ for key, rule in local.alert_forwarded_rules : key => rule if data.aws_region.home_region.name != "us-east-1" }}',
    );
    expect(forwardingRules(synth)).toEqual({
      forwarding_home_rules: expect.objectContaining({ for_each: "${local.alert_forwarded_rules_home}", event_pattern: "${each.value.event_pattern}" }),
    });
    expect(forwardingRules(synth).forwarding_home_rules.provider).toBeUndefined(); // the default (home) provider
    expect(resourcesOf(synth, "aws_iam_role").forwarding_role_role.count).toBe('${(data.aws_region.home_region.name != "us-east-1") ? 1 : 0}');
  });

  it("targets us-east-1's default bus through the role, with a retry policy", () => {
    expect(resourcesOf(synth, "aws_cloudwatch_event_target").forwarding_home_targets).toMatchObject({
      for_each: "${aws_cloudwatch_event_rule.forwarding_home_rules}",
      rule: "${each.value.name}",
      arn: BUS,
      role_arn: "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:role/${var.application_name}-event-forwarding",
      retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
      depends_on: ["aws_iam_role.forwarding_role_role", "aws_iam_role_policy.forwarding_role_policy"],
    });
  });

  it("has a role only EventBridge can assume, for this account, allowed only PutEvents on that bus", () => {
    expect(synth.data.aws_iam_policy_document.forwarding_role_trust.statement).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.account.account_id}"] }],
      },
    ]);
    expect(synth.data.aws_iam_policy_document.forwarding_role_permissions.statement).toEqual([
      { sid: "PutEventsOnAlertingBus", effect: "Allow", actions: ["events:PutEvents"], resources: [BUS] },
    ]);
  });
});

describe("forwarding, regions set at synth time", () => {
  it("homeRegion elsewhere: one aliased provider and forwarding rules there, no plan-time condition", () => {
    const synth = synthStack({ homeRegion: "eu-west-1" });
    expect(providers(synth)).toContainEqual(["watch_eu_west_1", "eu-west-1"]);
    expect(Object.keys(forwardingRules(synth))).toEqual(["forwarding_eu-west-1_rules".replace(/-/g, "_")]);
    expect(forwardingRules(synth).forwarding_eu_west_1_rules).toMatchObject({ provider: "aws.watch_eu_west_1", for_each: "${local.alert_forwarded_rules}" });
    expect(resourcesOf(synth, "aws_iam_role").forwarding_role_role.count).toBeUndefined();
    expect(synth.locals.alert_forwarded_rules_home).toBeUndefined();
  });

  it("homeRegion us-east-1: nothing to forward, no role", () => {
    const synth = synthStack({ homeRegion: "us-east-1" });
    expect(forwardingRules(synth)).toEqual({});
    expect(resourcesOf(synth, "aws_iam_role").forwarding_role_role).toBeUndefined();
  });

  it("watchRegions: every listed region but us-east-1 forwards; global presets are never forwarded", () => {
    const synth = synthStack({ homeRegion: "eu-west-1", watchRegions: ["us-east-1", "eu-west-1", "ap-southeast-2"] });
    expect(Object.keys(forwardingRules(synth)).sort()).toEqual(["forwarding_ap_southeast_2_rules", "forwarding_eu_west_1_rules"]);
    expect(providers(synth)).toEqual(
      expect.arrayContaining([
        ["watch_eu_west_1", "eu-west-1"],
        ["watch_ap_southeast_2", "ap-southeast-2"],
      ]),
    );
    expect(providers(synth).filter(([, region]) => region === "us-east-1")).toEqual([["alerting", "us-east-1"]]);
  });

  it("rejects a region name that is not one, saying where to fix it", () => {
    expect(() => synthStack({ watchRegions: ["eu-west-1", "Frankfurt"] })).toThrow(/watchRegions: "Frankfurt" is not an AWS region name[\s\S]*cdktf\.json/);
  });

  it("takes watchRegions from cdktf.json context through main.ts, as a list or a comma-separated string", () => {
    for (const watchRegions of [["eu-central-1", "us-west-2"], "eu-central-1, us-west-2"]) {
      const json = JSON.parse(synthApp({ CDKTF_CONTEXT_JSON: JSON.stringify({ watchRegions }) }).json);
      expect(json.provider.aws.map((p: Json) => p.alias).filter((a: string | undefined) => a?.startsWith("watch_"))).toEqual([
        "watch_eu_central_1",
        "watch_us_west_2",
      ]);
    }
  });
});
