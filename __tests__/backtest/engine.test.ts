/**
 * The backtest engine on records built from real fixture records
 * (structuredClone, then varied): which rules they reach, from which region,
 * and what the summary makes of them.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SETTINGS, type DetectionSettings } from "../../tools/backtest/catalogue-rules";
import { deploymentFromSettings } from "../../tools/backtest/deployment";
import { Backtest } from "../../tools/backtest/engine";
import { summarize } from "../../tools/backtest/summary";
import { CLOUDTRAIL_FIXTURES } from "../event-pattern/fixture-records";

type Rec = Record<string, any>;
const load = (file: string): Rec => JSON.parse(readFileSync(join(CLOUDTRAIL_FIXTURES, "events", file), "utf8"));

const createUser = load("iam/CreateUser__1.json");
const stopLogging = load("cloudtrail/StopLogging__1.json");
const describeTrails = load("cloudtrail/DescribeTrails__1.json");

function run(records: Rec[], settings: Partial<DetectionSettings> = {}, context = {}, window = {}) {
  const deployment = deploymentFromSettings({ ...DEFAULT_SETTINGS, ...settings }, context, "");
  const backtest = new Backtest(deployment, window);
  for (const record of records) backtest.add(record);
  const summary = summarize(backtest.stats, deployment, "test", 1);
  const alerts = (name: string): number => summary.rules.find((r) => r.name === name)?.alerts ?? Number.NaN;
  return { summary, alerts, counters: backtest.stats.counters };
}

const asRoot = (record: Rec, region: string): Rec => ({
  ...structuredClone(record),
  awsRegion: region,
  userIdentity: { type: "Root", arn: `arn:aws:iam::${record.recipientAccountId}:root`, accountId: record.recipientAccountId },
});

describe("routing to the rules in us-east-1", () => {
  it("alerts on an IAM call listed in iam_events", () => {
    const { alerts } = run([createUser]);
    expect(alerts("cloudtrail-alerting-iam-events")).toBe(1);
  });

  it("never delivers read-only management events to ENABLED rules, even root's", () => {
    const { alerts, counters } = run([asRoot(describeTrails, "us-east-1")]);
    expect(alerts("cloudtrail-alerting-root-activity")).toBe(0);
    expect(counters.readOnly).toBe(1);
  });

  it("alerts on a root call in a watched region, forwarded to us-east-1", () => {
    const { alerts } = run([asRoot(stopLogging, "eu-west-1")], {}, { watchRegions: ["eu-west-1"] });
    expect(alerts("cloudtrail-alerting-root-activity")).toBe(1);
  });

  it("counts a root call in a region that is not watched as matched but not alerted", () => {
    const { summary, alerts } = run([asRoot(stopLogging, "ap-south-1")], {}, { watchRegions: ["eu-west-1"] });
    expect(alerts("cloudtrail-alerting-root-activity")).toBe(0);
    expect(summary.rules.find((r) => r.name === "cloudtrail-alerting-root-activity")?.unwatched).toBe(1);
  });

  it("treats every region as watched when cdktf.json names none, and says so", () => {
    const { summary, alerts } = run([asRoot(stopLogging, "ap-south-1")]);
    expect(alerts("cloudtrail-alerting-root-activity")).toBe(1);
    expect(summary.notes.join("\n")).toMatch(/every region is treated as watched/);
  });

  it("forwards nothing when no enabled preset has a regional part", () => {
    const { alerts } = run([asRoot(stopLogging, "eu-west-1")], { alertPresets: ["iam-persistence"] });
    expect(alerts("cloudtrail-alerting-iam-persistence")).toBe(0);
  });

  it("builds the tamper patterns' names for each record's account", () => {
    const record = structuredClone(stopLogging);
    record.requestParameters = { name: "cloudtrail-alerting-trail" };
    const { alerts } = run([record]);
    expect(alerts("cloudtrail-alerting-monitoring-tamper-cloudtrail")).toBe(1);
  });

  it("evaluates only records inside --since/--until", () => {
    const { counters, alerts } = run([createUser], {}, {}, { since: Date.parse("2030-01-01T00:00:00Z") });
    expect(counters.records).toBe(0);
    expect(alerts("cloudtrail-alerting-iam-events")).toBe(0);
  });
});

describe("ignored_principal_arns candidates", () => {
  const withUser = (arn: string): Rec => ({ ...structuredClone(createUser), userIdentity: { type: "IAMUser", arn, accountId: "123456789012" } });
  const assumed = (role: string): Rec => ({
    ...structuredClone(createUser),
    userIdentity: {
      type: "AssumedRole",
      arn: `arn:aws:sts::123456789012:assumed-role/${role}/session`,
      sessionContext: { sessionIssuer: { type: "Role", arn: `arn:aws:iam::123456789012:role/${role}` } },
    },
  });

  it("name the user or the role behind the most suppressible alerts, with what each saves", () => {
    const { summary } = run([withUser("arn:aws:iam::123456789012:user/ci"), withUser("arn:aws:iam::123456789012:user/ci"), assumed("deploy")]);
    expect(summary.candidates).toEqual([
      { principal: "arn:aws:iam::123456789012:user/ci", alerts: 2 },
      { principal: "arn:aws:iam::123456789012:role/deploy", alerts: 1 },
    ]);
  });

  it("never propose root, and never count alerts of presets suppression does not apply to", () => {
    const { summary } = run([asRoot(createUser, "us-east-1"), asRoot(stopLogging, "us-east-1")]);
    expect(summary.totalAlerts).toBe(3);
    expect(summary.suppressibleAlerts).toBe(1);
    expect(summary.candidates).toEqual([]);
  });
});
