/**
 * Regional events reach the notifier from every watched region: one
 * forwarding rule in each watched region other than us-east-1, covering the
 * regional preset parts coarsely (the rules in us-east-1 match precisely),
 * to us-east-1's default bus with a role only EventBridge can assume and
 * that may only put events there. Global events are never forwarded.
 */
import { describe, expect, it } from "vitest";
import { FORWARDED_NAME_WILDCARDS, forwardingPattern, presetRules, type DeploymentNames } from "../../src/detection";
import { Json, resourcesOf, synthApp, synthStack } from "../support/synth";

const BUS = "arn:${data.aws_partition.partition.partition}:events:us-east-1:${data.aws_caller_identity.account.account_id}:event-bus/default";
const ANY_REGIONAL = "length(local.alert_forwarded_rules) > 0";
/** The forwarding rules themselves (each region also has a rule for its dead-letter alarm: see __tests__/liveness/). */
const forwardingRules = (synth: Json): Record<string, Json> =>
  Object.fromEntries(
    Object.entries(resourcesOf(synth, "aws_cloudwatch_event_rule")).filter(([id]) => id.startsWith("forwarding_") && !id.endsWith("_alarm_rule")),
  );
const providers = (synth: Json): [string | undefined, string | undefined][] => synth.provider.aws.map((p: Json) => [p.alias, p.region]);
const NAMES: DeploymentNames = { namePrefix: "a", trailName: "t", logBucketName: "b", accessLogBucketName: "c", functionName: "f", topicArn: "arn" };
const wildcard = (pattern: string): RegExp => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

describe("the forwarding pattern", () => {
  const pattern = forwardingPattern();

  it("fits EventBridge's default 2048-character pattern quota", () => {
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
  });

  it("covers every regional part: its source and each event name it asks for, or the whole part", () => {
    const branches: Json[] = pattern.$or;
    for (const { key, part } of presetRules().filter((r) => r.part.scope === "regional")) {
      const p = part.pattern(NAMES);
      const names: unknown[] | undefined = p.detail?.eventName;
      if (p.source?.length === 1 && names !== undefined) {
        const branch = branches.find((b) => b.source?.[0] === p.source[0] && JSON.stringify(b["detail-type"]) === JSON.stringify(p["detail-type"]));
        expect(branch, key).toBeDefined();
        for (const name of names) {
          const covered =
            branch.detail.eventName.some((n: unknown) => JSON.stringify(n) === JSON.stringify(name)) ||
            (typeof name === "string" && (FORWARDED_NAME_WILDCARDS[p.source[0]] ?? []).some((w) => wildcard(w).test(name)));
          expect({ key, name, covered }).toEqual({ key, name, covered: true });
        }
      } else {
        expect(branches, key).toContainEqual(p);
      }
    }
  });

  it("never forwards global events (IAM, Organizations, this deployment's us-east-1 resources)", () => {
    const text = JSON.stringify(pattern);
    for (const source of ["aws.iam", "aws.organizations", "aws.events", "aws.lambda", "aws.sns"]) expect(text).not.toContain(`"${source}"`);
  });
});

describe("forwarding, home region left to the provider (the default)", () => {
  const synth = synthStack();

  it("creates the home region's forwarding only if a regional preset is enabled and, at plan time, the home region is not us-east-1", () => {
    expect(synth.locals.alert_forwarded_rules).toBe('${{ for key, rule in local.alert_preset_rules : key => rule if rule.scope == "regional" }}');
    const rule = forwardingRules(synth).forwarding_home_rule;
    expect(Object.keys(forwardingRules(synth))).toEqual(["forwarding_home_rule"]);
    expect(rule.count).toBe(`\${${ANY_REGIONAL} && data.aws_region.home_region.name != "us-east-1" ? 1 : 0}`);
    expect(rule.provider).toBeUndefined(); // the default (home) provider
    expect(rule.name).toBe("${var.application_name}-forward-to-alerting-region");
    expect(JSON.parse(rule.event_pattern)).toEqual(forwardingPattern());
    expect(resourcesOf(synth, "aws_iam_role").forwarding_role_role.count).toBe(rule.count);
  });

  it("targets us-east-1's default bus through the role, with a retry policy", () => {
    expect(resourcesOf(synth, "aws_cloudwatch_event_target").forwarding_home_target).toMatchObject({
      rule: "${var.application_name}-forward-to-alerting-region",
      arn: BUS,
      role_arn: "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:role/${var.application_name}-event-forwarding",
      retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
      depends_on: [
        "aws_cloudwatch_event_rule.forwarding_home_rule",
        "aws_sqs_queue.forwarding_home_dlq_queue",
        "aws_iam_role.forwarding_role_role",
        "aws_iam_role_policy.forwarding_role_policy",
      ],
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
  it("homeRegion elsewhere: one aliased provider and the forwarding rule there, no plan-time region condition", () => {
    const synth = synthStack({ homeRegion: "eu-west-1" });
    expect(providers(synth)).toContainEqual(["watch_eu_west_1", "eu-west-1"]);
    expect(Object.keys(forwardingRules(synth))).toEqual(["forwarding_eu_west_1_rule"]);
    expect(forwardingRules(synth).forwarding_eu_west_1_rule).toMatchObject({ provider: "aws.watch_eu_west_1", count: `\${${ANY_REGIONAL} ? 1 : 0}` });
    expect(resourcesOf(synth, "aws_iam_role").forwarding_role_role.count).toBe(`\${${ANY_REGIONAL} ? 1 : 0}`);
  });

  it("homeRegion us-east-1: nothing to forward, no role", () => {
    const synth = synthStack({ homeRegion: "us-east-1" });
    expect(forwardingRules(synth)).toEqual({});
    expect(resourcesOf(synth, "aws_iam_role").forwarding_role_role).toBeUndefined();
  });

  it("watchRegions: every listed region but us-east-1 forwards", () => {
    const synth = synthStack({ homeRegion: "eu-west-1", watchRegions: ["us-east-1", "eu-west-1", "ap-southeast-2"] });
    expect(Object.keys(forwardingRules(synth)).sort()).toEqual(["forwarding_ap_southeast_2_rule", "forwarding_eu_west_1_rule"]);
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
