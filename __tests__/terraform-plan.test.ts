/**
 * The synthesized stack through the real Terraform CLI and AWS provider:
 * `terraform validate`, then `terraform plan` against the moto emulator
 * (the provider needs STS and the region during plan), asserting on
 * `terraform show -json`. Emulator endpoint and dummy credentials are given
 * to terraform's environment only; the synthesized JSON never sees them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_IAM_EVENTS } from "../src/stacks/alerting-stack";
import { OVERRIDES, planRunShared, planShared, SEED_TFVARS, SEED_WITHOUT_PRESETS_OR_HEARTBEAT } from "./support/plan-configurations";
import { planOf, planRunOf, shared, sharedMoto, planVariables } from "./support/shared";
import { PlanJson, planned, plannedOne, Terraform } from "./support/terraform";

const HOME_REGION = "eu-west-1";
const fixture = (name: string): string => join(__dirname, "fixtures", name);

let terraform: Terraform;
let varsDir: string;

const tfvars = (name: string, body: string): string => {
  const file = join(varsDir, name);
  writeFileSync(file, body);
  return file;
};
const eventNames = (plan: PlanJson): string[] =>
  JSON.parse(plannedOne(plan, "aws_cloudwatch_event_rule.event_rules_iam_events").event_pattern).detail.eventName;
const subscribers = (plan: PlanJson): string[] =>
  planned(plan, "aws_sns_topic_subscription").map((s) => s.values.endpoint).sort();

beforeAll(() => {
  varsDir = mkdtempSync(join(tmpdir(), "cta-vars-"));
  terraform = new Terraform(shared().stackDir, sharedMoto().env(HOME_REGION));
});

describe("terraform validate", () => {
  it("accepts the synthesized configuration with the real provider", async () => {
    const out = await terraform.ok(["validate", "-no-color"]);
    expect(out).toContain("The configuration is valid");
  });
});

describe("terraform plan", () => {
  let defaults: PlanJson;
  beforeAll(async () => {
    defaults = await planOf(undefined);
  });

  it("plans on defaults, watching the seed's eight IAM calls", () => {
    expect(eventNames(defaults)).toEqual(DEFAULT_IAM_EVENTS);
    expect(subscribers(defaults)).toEqual([]);
  });

  it("plans the full pipeline: trail, bucket, rules, function, topic and dead-letter queues", () => {
    const created = (defaults.resource_changes as PlanJson[])
      .filter((c) => c.change.actions.includes("create"))
      .map((c) => c.type);
    for (const type of ["aws_cloudtrail", "aws_s3_bucket", "aws_s3_bucket_policy", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_lambda_function", "aws_lambda_permission", "aws_sns_topic", "aws_sqs_queue"]) {
      expect(created).toContain(type);
    }
  });

  it("puts rules, function and topic in us-east-1 although the default provider is in another region", () => {
    const providers = defaults.configuration.provider_config;
    expect(providers["aws.alerting"].expressions.region.constant_value).toBe("us-east-1");
    const resources: PlanJson[] = defaults.configuration.root_module.resources;
    for (const type of ["aws_cloudwatch_event_rule", "aws_lambda_function", "aws_sns_topic"]) {
      // Forwarding rules belong to the watched regions (here the home region) by design.
      for (const r of resources.filter((x) => x.type === type && !x.address.includes(".forwarding_"))) {
        expect(r.provider_config_key, r.address).toBe("aws.alerting");
      }
    }
    const forwarding = resources.find((x) => x.address === "aws_cloudwatch_event_rule.forwarding_home_rule");
    expect(forwarding?.provider_config_key).toBe("aws");
    // The home region is the provider's own resolution (AWS_REGION here): the bucket name carries it.
    expect(plannedOne(defaults, "aws_s3_bucket.log_bucket_bucket").bucket).toBe(
      `cloudtrail-alerting-logs-123456789012-${HOME_REGION}`,
    );
  });

  it("warns, without failing, when nobody would receive the alerts", async () => {
    const nobody = await planRunOf(undefined);
    expect(nobody.output).toMatch(/Check block assertion failed[\s\S]*sns_endpoint is empty/);
    // The seed, planned with presets and heartbeat off (support/plan-configurations.ts): neither has recipients.
    const withRecipient = await planRunShared(SEED_WITHOUT_PRESETS_OR_HEARTBEAT);
    expect(withRecipient.output).not.toContain("sns_endpoint is empty");
  });

  it("plans the seed's tfvars file unchanged: one address as a string", async () => {
    const plan = await planShared(SEED_WITHOUT_PRESETS_OR_HEARTBEAT);
    expect(SEED_WITHOUT_PRESETS_OR_HEARTBEAT.options.varFile).toBe(SEED_TFVARS);
    expect(Object.keys(SEED_WITHOUT_PRESETS_OR_HEARTBEAT.vars).sort()).toEqual(["alert_presets", "heartbeat_interval_minutes"]);
    expect(subscribers(plan)).toEqual(["security@example.com"]);
    expect([...eventNames(plan)].sort()).toEqual([...DEFAULT_IAM_EVENTS].sort());
  });

  it("changes the deployed pattern and subscriptions from tfvars alone: two addresses, a custom event list", async () => {
    const plan = await planOf(undefined, { varFile: fixture("two-recipients.tfvars") });
    expect(eventNames(plan)).toEqual(["CreateLoginProfile", "AttachUserPolicy", "CreateAccessKey"]);
    expect(subscribers(plan)).toEqual(["oncall@example.com", "security@example.org"]);
    expect(plannedOne(plan, "aws_lambda_function.notifier_function").function_name).toBe("iam-watch-notifier");
  });

  it("takes overrides from TF_VAR_* too (HCL-quoted, since sns_endpoint accepts a string or a list)", async () => {
    // Shared (support/plan-configurations.ts): its tfvars file sets neither variable.
    const plan = await planShared(OVERRIDES);
    expect(OVERRIDES.options.env).toMatchObject({ TF_VAR_sns_endpoint: '"oncall@example.com"', TF_VAR_iam_events: '["CreateUser","DeleteUser"]' });
    expect(OVERRIDES.vars).not.toHaveProperty("sns_endpoint");
    expect(OVERRIDES.vars).not.toHaveProperty("iam_events");
    expect(subscribers(plan)).toEqual(["oncall@example.com"]);
    expect(eventNames(plan)).toEqual(["CreateUser", "DeleteUser"]);
  });
});

describe("bad tfvars fail the plan with an error naming the variable", () => {
  const cases: [string, string, string][] = [
    ["an empty iam_events", "iam_events = []\n", "iam_events"],
    ["an address without @", 'sns_endpoint = ["security.example.com"]\n', "sns_endpoint"],
    ["a single address without @", 'sns_endpoint = "security"\n', "sns_endpoint"],
    ["an application_name with spaces", 'application_name = "cloudtrail alerting"\n', "application_name"],
    ["a 60-character application_name", `application_name = "${"a".repeat(60)}"\n`, "application_name"],
    ["an iam_events entry that is not an action name", 'iam_events = ["create user"]\n', "iam_events"],
    ["a log retention CloudWatch does not offer", "log_retention_days = 42\n", "log_retention_days"],
  ];

  it.concurrent.for(cases)("%s", async ([_label, body, variable], { expect }) => {
    const file = tfvars(`${variable}-${Math.random().toString(36).slice(2)}.tfvars`, body);
    const result = await planVariables(file);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Invalid value for variable");
    expect(result.stderr).toContain(`var.${variable}`);
    expect(result.stderr).toMatch(new RegExp(`${variable} must`));
  });
});
