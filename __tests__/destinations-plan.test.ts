/**
 * Slack, Teams and SIEM destinations through the real Terraform CLI and AWS
 * provider (`terraform plan` against moto, `terraform show -json`): nothing
 * of them by default; with channels and subscriptions, the chat and
 * structured topics, the channel configurations with a role that can do
 * nothing, the subscriptions, and their alarms. moto has no Amazon Q
 * Developer in chat applications (Chatbot) API, so the channel
 * configurations are checked here, in the plan, and not applied anywhere.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planOf, planVariables } from "./support/shared";
import { type PlanJson, planned, plannedOne } from "./support/terraform";

const ACCOUNT = "123456789012"; // moto's default account
const APP = "cloudtrail-alerting";

const SLACK = { workspace_id: "T012AB3C4D5", channel_id: "C012AB3CD4E" };
const TEAMS = {
  team_id: "a1b2c3d4-e5f6-4a7b-8c9d-e1f2a3b4c5d6",
  tenant_id: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  channel_id: "19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2",
};
const SUBSCRIPTIONS = [
  { protocol: "sqs", endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:siem-intake` },
  { protocol: "https", endpoint: "https://siem.example.com/ingest/sns" },
  { protocol: "lambda", endpoint: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:ticketing` },
  {
    protocol: "firehose",
    endpoint: `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/siem`,
    subscription_role_arn: `arn:aws:iam::${ACCOUNT}:role/sns-to-firehose`,
  },
];

/** Every managed resource address of these destination types or names. */
const DESTINATION_ADDRESS = /chatbot|chat_topic|structured_topic|chat_channels|structured_subscriptions|destination/;
const addresses = (plan: PlanJson): string[] =>
  (plan.resource_changes as PlanJson[]).filter((c) => c.mode === "managed").map((c) => c.address as string);

let varsDir: string;

beforeAll(() => {
  varsDir = mkdtempSync(join(tmpdir(), "cta-destinations-"));
});

describe("by default", () => {
  let defaults: PlanJson;
  beforeAll(async () => {
    defaults = await planOf(undefined);
  });

  it("plans no chat or SIEM resource at all", () => {
    expect(addresses(defaults).filter((a) => DESTINATION_ADDRESS.test(a))).toEqual([]);
  });

  it("grants the notifier nothing beyond the alert topic", () => {
    expect(addresses(defaults)).not.toContain("aws_iam_role_policy.notifier_destination_policy[0]");
  });
});

describe("with Slack and Teams channels and sns_subscriptions", () => {
  let plan: PlanJson;
  beforeAll(async () => {
    plan = await planOf({ slack_channels: [SLACK], teams_channels: [TEAMS], sns_subscriptions: SUBSCRIPTIONS });
  });

  it("plans a chat topic and a structured-alert topic encrypted with the alert key", () => {
    for (const [address, name] of [
      ["aws_sns_topic.chat_topic_topic[0]", `${APP}-alerts-chat`],
      ["aws_sns_topic.structured_topic_topic[0]", `${APP}-alerts-structured`],
    ]) {
      expect(plannedOne(plan, address!).name).toBe(name);
      const config = configOf(address!.replace(/\[0\]$/, ""));
      expect(config.expressions.kms_master_key_id.references).toContain("aws_kms_key.alert_key_key.arn");
      expect(config.provider_config_key).toBe("aws.alerting");
    }
  });

  it("lets only this account publish to them, over TLS", () => {
    for (const doc of [
      "data.aws_iam_policy_document.chat_topic_policy_document",
      "data.aws_iam_policy_document.structured_topic_policy_document",
    ]) {
      const statements = configOf(doc).expressions.statement as PlanJson[];
      const allow = statements.find((s) => s.sid.constant_value === "AllowPublishFromThisAccountOnly");
      expect(JSON.stringify(allow.principals)).toContain(":root");
      expect(allow.actions.constant_value).toEqual(["sns:Publish"]);
      expect(statements.find((s) => s.sid.constant_value === "DenyInsecureTransport")?.effect.constant_value).toBe("Deny");
    }
  });

  it("configures the Slack channel in us-east-2, where the Chatbot API is, subscribed to the chat topic", () => {
    const key = `${SLACK.workspace_id}/${SLACK.channel_id}`;
    const slack = plannedOne(plan, `aws_chatbot_slack_channel_configuration.chat_channels_slack["${key}"]`);

    expect(slack).toMatchObject({
      configuration_name: `${APP}-slack-${SLACK.workspace_id}-${SLACK.channel_id}`,
      slack_team_id: SLACK.workspace_id,
      slack_channel_id: SLACK.channel_id,
      logging_level: "ERROR",
      user_authorization_required: true,
    });
    expect(plan.configuration.provider_config["aws.chatbot"].expressions.region.constant_value).toBe("us-east-2");
    expect(configOf("aws_chatbot_slack_channel_configuration.chat_channels_slack").provider_config_key).toBe("aws.chatbot");
    expect(configOf("aws_chatbot_slack_channel_configuration.chat_channels_slack").expressions.sns_topic_arns.references).toContain(
      "aws_sns_topic.chat_topic_topic",
    );
  });

  it("configures the Teams channel with the URL-encoded channel ID the API takes", () => {
    const teams = planned(plan, "aws_chatbot_teams_channel_configuration");

    expect(teams).toHaveLength(1);
    expect(teams[0]!.values).toMatchObject({
      team_id: TEAMS.team_id,
      tenant_id: TEAMS.tenant_id,
      channel_id: "19%3Ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2",
      user_authorization_required: true,
    });
    expect(teams[0]!.values.configuration_name).toMatch(new RegExp(`^${APP}-teams-[0-9a-f]{16}$`));
  });

  it("caps what anyone can do from the channels with AWSDenyAll, and nothing else", () => {
    for (const type of ["aws_chatbot_slack_channel_configuration", "aws_chatbot_teams_channel_configuration"]) {
      for (const config of planned(plan, type)) {
        expect(config.values.guardrail_policy_arns, config.address).toEqual(["arn:aws:iam::aws:policy/AWSDenyAll"]);
      }
    }
  });

  it("gives the channel role to Chatbot only, with no permission at all", () => {
    const role = plannedOne(plan, "aws_iam_role.chat_channels_role[0]");
    expect(role.name).toBe(`${APP}-chat-channel`);
    const [trust] = configOf("data.aws_iam_policy_document.chat_channels_trust").expressions.statement as PlanJson[];
    expect(trust.principals[0].identifiers.constant_value).toEqual(["chatbot.amazonaws.com"]);
    expect(trust.actions.constant_value).toEqual(["sts:AssumeRole"]);
    // No inline policy, attachment or managed policy names the role.
    const grants = addresses(plan).filter((a) => /aws_iam_(role_policy|role_policy_attachment|policy_attachment)\./.test(a));
    for (const grant of grants) expect(grant).not.toMatch(/chat/);
    expect(role.managed_policy_arns ?? []).toEqual([]);
    expect(role.inline_policy ?? []).toEqual([]);
  });

  it("subscribes each endpoint to the structured-alert topic with raw delivery (not for Lambda, which SNS does not offer)", () => {
    const subscriptions = planned(plan, "aws_sns_topic_subscription").filter((s) =>
      s.address.startsWith("aws_sns_topic_subscription.structured_subscriptions_endpoint"),
    );
    const byProtocol = Object.fromEntries(subscriptions.map((s) => [s.values.protocol, s.values]));

    expect(Object.keys(byProtocol).sort()).toEqual(["firehose", "https", "lambda", "sqs"]);
    expect(byProtocol["sqs"]).toMatchObject({ endpoint: SUBSCRIPTIONS[0]!.endpoint, raw_message_delivery: true });
    expect(byProtocol["https"]).toMatchObject({ raw_message_delivery: true });
    expect(byProtocol["lambda"]).toMatchObject({ raw_message_delivery: false });
    expect(byProtocol["firehose"]).toMatchObject({
      raw_message_delivery: true,
      subscription_role_arn: SUBSCRIPTIONS[3]!.subscription_role_arn,
    });
  });

  it("alarms on failed deliveries of both topics, to the alert topic", () => {
    for (const key of ["chat", "structured"]) {
      const alarm = plannedOne(plan, `aws_cloudwatch_metric_alarm.${key}_topic_delivery_failed[0]`);
      expect(alarm).toMatchObject({
        alarm_name: `${APP}-${key}-delivery-failed`,
        namespace: "AWS/SNS",
        metric_name: "NumberOfNotificationsFailed",
        dimensions: { TopicName: `${APP}-alerts-${key}` },
        threshold: 0,
      });
      expect(configOf(`aws_cloudwatch_metric_alarm.${key}_topic_delivery_failed`).expressions.alarm_actions.references).toContain(
        "aws_sns_topic.alert_topic_topic.arn",
      );
    }
  });

  it("gives the notifier the topics' ARNs (environment) and the right to publish to them (a role policy of their own)", () => {
    const fn = configOf("aws_lambda_function.notifier_function");
    expect(JSON.stringify(fn.expressions.environment)).toContain("local.notifier_destination_topics");
    expect(plannedOne(plan, "aws_iam_role_policy.notifier_destination_policy[0]").name).toBe("notifier-destinations");
    const [statement] = configOf("data.aws_iam_policy_document.notifier_destination_permissions").expressions.statement as PlanJson[];
    expect(statement.actions.constant_value).toEqual(["sns:Publish"]);
    expect(statement.resources.references).toContain("local.notifier_destination_topics");
  });

  it("outputs the structured-alert topic for endpoint policies", () => {
    expect(plan.configuration.root_module.outputs.structured_topic_arn.expression.references).toContain(
      "aws_sns_topic.structured_topic_topic",
    );
  });

  /** A resource's configuration block (expressions, provider) by address without instance key. */
  function configOf(address: string): PlanJson {
    const found = (plan.configuration.root_module.resources as PlanJson[]).find((r) => r.address === address);
    if (found === undefined) throw new Error(`${address} is not in the configuration`);
    return found;
  }
});

describe("bad destination tfvars fail the plan with an error naming the variable", () => {
  // Every bad entry in one plan (Terraform reports each failed validation), so two plans cover them all.
  const bad = {
    slack_channels: [{ ...SLACK, channel_id: "#security" }, { ...SLACK, workspace_id: "t012ab" }, SLACK, SLACK],
    teams_channels: [
      { ...TEAMS, team_id: "security-team" },
      { ...TEAMS, channel_id: "General" },
    ],
    sns_subscriptions: [
      { protocol: "email", endpoint: "a@example.com" },
      { protocol: "https", endpoint: "http://siem.example.com" },
      { protocol: "sqs", endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:siem.fifo` },
      { protocol: "firehose", endpoint: `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/siem` },
      { ...SUBSCRIPTIONS[0], subscription_role_arn: `arn:aws:iam::${ACCOUNT}:role/x` },
      SUBSCRIPTIONS[1],
      SUBSCRIPTIONS[1],
    ],
  };
  const cases: [string, string, RegExp][] = [
    ["a Slack channel given by #name", "slack_channels", /slack_channels: each channel_id must be a Slack channel ID/],
    ["a lowercase Slack workspace", "slack_channels", /slack_channels: each workspace_id must be a Slack workspace ID/],
    ["the same Slack channel twice", "slack_channels", /slack_channels lists the same channel more than once/],
    ["a Teams team that is not a GUID", "teams_channels", /teams_channels: each team_id and tenant_id must be a GUID/],
    ["a Teams channel name", "teams_channels", /teams_channels: each channel_id must be a Teams channel ID/],
    ["an email protocol", "sns_subscriptions", /sns_subscriptions: each protocol must be one of/],
    [
      "an http endpoint, a FIFO queue",
      "sns_subscriptions",
      /sns_subscriptions: each endpoint must fit its protocol.*FIFO queue cannot subscribe/,
    ],
    ["firehose without a role", "sns_subscriptions", /sns_subscriptions: a firehose subscription needs subscription_role_arn/],
    ["a role on an sqs subscription", "sns_subscriptions", /sns_subscriptions: subscription_role_arn is only used by protocol "firehose"/],
    ["the same endpoint twice", "sns_subscriptions", /sns_subscriptions lists the same endpoint more than once/],
  ];
  let errors: string;
  let missingAttribute: string;

  const failedPlan = async (name: string, vars: Record<string, unknown>): Promise<string> => {
    const file = join(varsDir, `${name}.tfvars.json`);
    writeFileSync(file, JSON.stringify(vars));
    // Type and validation errors: the variable blocks alone give them (support/shared.ts).
    const result = await planVariables(file);
    if (result.code === 0) throw new Error(`the plan with ${name} succeeded`);
    // Terraform wraps long messages in a box: read them as one line each.
    return result.stderr.replace(/\s*│\s*/g, " ").replace(/\s+/g, " ");
  };

  beforeAll(async () => {
    [errors, missingAttribute] = await Promise.all([
      failedPlan("bad-destinations", bad),
      failedPlan("slack-without-workspace", { slack_channels: [{ channel_id: "C012AB3CD4E" }] }),
    ]);
  });

  it.each(cases)("%s", (_label, variable, message) => {
    expect(errors).toContain(`var.${variable}`);
    expect(errors).toMatch(message);
  });

  it("a Slack channel without workspace_id", () => {
    expect(missingAttribute).toContain("var.slack_channels");
    expect(missingAttribute).toMatch(/attribute "workspace_id" is required/);
  });
});
