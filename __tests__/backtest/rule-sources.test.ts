/**
 * Where the backtest's rules come from: a real `terraform show -json` plan of
 * this stack, or the preset catalogue and a tfvars file; both must give the
 * same rules for the same variables.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { presetRules } from "../../src/detection";
import { catalogueRules, namesFor } from "../../tools/backtest/catalogue-rules";
import { rulesFromPlan } from "../../tools/backtest/plan-rules";
import { parseTfvars, TfvarsError } from "../../tools/backtest/tfvars";
import { settingsFromVarFile } from "../../tools/backtest/var-file";
import { PROJECT_ROOT } from "../support/synth";

const FIXTURES = join(PROJECT_ROOT, "__tests__", "fixtures", "backtest");
const plan = JSON.parse(readFileSync(join(FIXTURES, "all-presets.plan.json"), "utf8"));
const varFile = join(FIXTURES, "all-presets.tfvars");
const settings = settingsFromVarFile(readFileSync(varFile, "utf8"), varFile);

describe("rules from a plan", () => {
  const planned = rulesFromPlan(plan, "all-presets.plan.json");

  it("are the us-east-1 rules, named as deployed: iam-events and one per preset part", () => {
    expect(planned.alerting.map((r) => r.name).sort()).toEqual(
      ["bt-demo-iam-events", ...presetRules().map((r) => `bt-demo-${r.key.replace("/", "-")}`)].sort(),
    );
  });

  it("label each rule with its preset, severity and whether suppression applies", () => {
    const byName = new Map(planned.alerting.map((r) => [r.name, r]));
    expect(byName.get("bt-demo-iam-events")).toMatchObject({ preset: "iam-events", severity: "high", suppressible: true });
    expect(byName.get("bt-demo-monitoring-tamper-cloudtrail")).toMatchObject({ preset: "monitoring-tamper", severity: "critical", suppressible: false });
    expect(byName.get("bt-demo-iam-persistence")).toMatchObject({ suppressible: true, allManagementEvents: false });
  });

  it("find the forwarding rule of the home region, which the plan read from data.aws_region", () => {
    expect([...planned.forwarding.keys()]).toEqual(["eu-west-1"]);
  });

  it("refuse a file that is not a plan, saying what to give", () => {
    expect(() => rulesFromPlan({ resource_changes: [] } as never, "x.json")).toThrow(/x.json is not a Terraform JSON plan .*terraform show -json/);
  });
});

describe("rules from the catalogue and a tfvars file", () => {
  it("equal the planned rules for the same variables, pattern for pattern", () => {
    const planned = rulesFromPlan(plan, "all-presets.plan.json").alerting;
    const computed = catalogueRules(settings, namesFor("bt-demo", "123456789012", "eu-west-1"));

    expect(computed.map((r) => r.name).sort()).toEqual(planned.map((r) => r.name).sort());
    for (const rule of computed) expect(rule.pattern).toEqual(planned.find((p) => p.name === rule.name)!.pattern);
  });

  it("take the stack's defaults for what the file leaves out", () => {
    const s = settingsFromVarFile('sns_endpoint = "a@example.com"\n', "min.tfvars");
    expect(s).toMatchObject({ applicationName: "cloudtrail-alerting", alertPresets: ["root-activity", "monitoring-tamper"], ignoredPrincipalArns: [] });
  });

  it("refuse unknown presets the way the variable's validation would", () => {
    expect(() => settingsFromVarFile('alert_presets = ["nope"]\n', "bad.tfvars")).toThrow(/bad.tfvars: alert_presets names unknown presets \(nope\)/);
  });
});

describe("tfvars files", () => {
  it("read the literal HCL forms users write: strings, numbers, bools, null, lists and maps across lines, comments", () => {
    const values = parseTfvars(
      ['a = "x\\"y" # c', "b = 5", "c = true", "d = null", "e = [", '  "1", // c', '  "2",', "]", "f = {", '  k = "v"', '  "k-2" = 3', "}", "/* block */"].join("\n"),
      "t.tfvars",
    );
    expect(values).toEqual({ a: 'x"y', b: 5, c: true, d: null, e: ["1", "2"], f: { k: "v", "k-2": 3 } });
  });

  it("read .tfvars.json as JSON", () => {
    expect(parseTfvars('{"alert_presets": ["root-activity"]}', "t.tfvars.json")).toEqual({ alert_presets: ["root-activity"] });
  });

  it("refuse expressions with the line they are on, pointing to --plan", () => {
    expect(() => parseTfvars('a = "x"\nb = upper("y")\n', "t.tfvars")).toThrow(TfvarsError);
    expect(() => parseTfvars('a = "x"\nb = upper("y")\n', "t.tfvars")).toThrow(/^t.tfvars:2: .*use --plan/);
    expect(() => parseTfvars('a = "${var.x}"\n', "t.tfvars")).toThrow(/t.tfvars:1: template interpolation needs terraform/);
  });
});
