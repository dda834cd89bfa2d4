/**
 * Terraform variables of the alert destinations beside email (see README,
 * "Slack and Microsoft Teams" and "SIEM and other endpoints"). All empty by
 * default: then nothing of them is planned.
 */
import type { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { expr } from "../shared/expressions";

export interface DestinationVariables {
  readonly slackChannels: TerraformVariable;
  readonly teamsChannels: TerraformVariable;
  readonly snsSubscriptions: TerraformVariable;
}

/** Any chat channel configured: the chat topic, the channel role and the configurations exist. */
export const CHAT_ENABLED = "length(var.slack_channels) + length(var.teams_channels) > 0";
/** Any sns_subscriptions configured: the structured-alert topic exists. */
export const STRUCTURED_ENABLED = "length(var.sns_subscriptions) > 0";

/** A Microsoft Teams team or tenant ID: a GUID. */
const GUID = String.raw`^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$`;

/**
 * A Teams channel ID as Amazon Q Developer in chat applications takes it:
 * URL-encoded (`19%3a...%40thread.tacv2`), as in the channel's link; the
 * decoded form (`19:...@thread.tacv2`) is accepted too and encoded by the
 * stack. The API's pattern is
 * `^([a-zA-Z0-9-_=+/.,])*%3[aA]([a-zA-Z0-9-_=+/.,])*%40([a-zA-Z0-9-_=+/.,])*$`, 1-255 characters
 * (https://docs.aws.amazon.com/chatbot/latest/APIReference/API_TeamsChannelConfiguration.html).
 */
const TEAMS_CHANNEL = String.raw`^[A-Za-z0-9_=+/.,-]*(%3[aA]|:)[A-Za-z0-9_=+/.,-]*(%40|@)[A-Za-z0-9_=+/.,-]*$`;

/** Endpoint shape per protocol (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html, `Endpoint`). */
const ENDPOINTS: Readonly<Record<string, string>> = {
  https: "^https://[^/ ]+",
  // Standard queues only: a FIFO queue cannot subscribe to a standard topic.
  sqs: String.raw`^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$`,
  lambda: String.raw`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$`,
  firehose: String.raw`^arn:aws[a-z-]*:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[A-Za-z0-9_.-]{1,64}$`,
};

const ROLE_ARN = String.raw`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`;

/** Every element of `list` satisfies `condition` (an HCL expression over `item`). */
const all = (list: string, condition: string): string => expr(`alltrue([for item in ${list} : ${condition}])`);
/** No two elements of `list` have the same `key` (an HCL expression over `item`). */
const distinct = (list: string, key: string): string => expr(`length(distinct([for item in ${list} : ${key}])) == length(${list})`);

export function declareDestinationVariables(scope: Construct): DestinationVariables {
  const slackChannels = new TerraformVariable(scope, "slack_channels", {
    type: "list(object({ workspace_id = string, channel_id = string }))",
    default: [],
    description:
      "Slack channels that receive each alert through Amazon Q Developer in chat applications (formerly AWS Chatbot). Authorise the workspace once in its console first (see README). Each: workspace_id (the workspace ID the console shows, e.g. T012AB3C4D5) and channel_id (the channel's ID, e.g. C012AB3CD4E). Add the Amazon Q app to private channels.",
    validation: [
      {
        // SlackTeamId: ^[0-9A-Z]{1,255}$ (https://docs.aws.amazon.com/chatbot/latest/APIReference/API_SlackChannelConfiguration.html)
        condition: all("var.slack_channels", `can(regex("^[0-9A-Z]{1,40}$", item.workspace_id))`),
        errorMessage:
          'slack_channels: each workspace_id must be a Slack workspace ID such as "T012AB3C4D5" (uppercase letters and digits), as the Amazon Q Developer in chat applications console shows it after you authorise the workspace.',
      },
      {
        // SlackChannelId: ^[A-Za-z0-9]+$, 1-255 characters (same page).
        condition: all("var.slack_channels", `can(regex("^[A-Za-z0-9]{1,40}$", item.channel_id))`),
        errorMessage:
          'slack_channels: each channel_id must be a Slack channel ID such as "C012AB3CD4E" (in Slack: the channel\'s name > About > Channel ID), not the #channel-name.',
      },
      {
        condition: distinct("var.slack_channels", `format("%s/%s", item.workspace_id, item.channel_id)`),
        errorMessage: "slack_channels lists the same channel more than once.",
      },
    ],
  });

  const teamsChannels = new TerraformVariable(scope, "teams_channels", {
    type: "list(object({ team_id = string, channel_id = string, tenant_id = string }))",
    default: [],
    description:
      "Microsoft Teams channels that receive each alert through Amazon Q Developer in chat applications (formerly AWS Chatbot). Authorise the team once in its console first (see README). Each: team_id and tenant_id (GUIDs, from the console or the channel link), channel_id (from the channel link: 19%3a...%40thread.tacv2).",
    validation: [
      {
        condition: all("var.teams_channels", `can(regex("${GUID}", item.team_id)) && can(regex("${GUID}", item.tenant_id))`),
        errorMessage:
          'teams_channels: each team_id and tenant_id must be a GUID such as "a1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6", as in the channel link (groupId= and tenantId=) or the Amazon Q Developer in chat applications console.',
      },
      {
        condition: all("var.teams_channels", `can(regex("${TEAMS_CHANNEL}", item.channel_id)) && length(item.channel_id) <= 240`),
        errorMessage:
          'teams_channels: each channel_id must be a Teams channel ID as in the channel link, such as "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2" (or decoded, "19:...@thread.tacv2").',
      },
      {
        condition: distinct("var.teams_channels", `format("%s/%s/%s", lower(item.tenant_id), lower(item.team_id), item.channel_id)`),
        errorMessage: "teams_channels lists the same channel more than once.",
      },
    ],
  });

  const protocols = Object.keys(ENDPOINTS);
  const endpointMatches = protocols
    .map((protocol) => `(item.protocol == "${protocol}" && can(regex("${ENDPOINTS[protocol]}", item.endpoint)))`)
    .join(" || ");
  const snsSubscriptions = new TerraformVariable(scope, "sns_subscriptions", {
    type: "list(object({ protocol = string, endpoint = string, subscription_role_arn = optional(string) }))",
    default: [],
    description:
      'Endpoints (a SIEM, a ticketing system) subscribed with raw message delivery to a topic of structured JSON alerts (schema cloudtrail-alerting/alert/v1, see README). Each: protocol "https", "sqs", "lambda" or "firehose", endpoint (URL or ARN), and for firehose subscription_role_arn. The endpoint must let SNS deliver (queue policy, function permission): see README.',
    validation: [
      {
        condition: all("var.sns_subscriptions", `contains(${JSON.stringify(protocols)}, item.protocol)`),
        errorMessage: `sns_subscriptions: each protocol must be one of ${protocols.map((p) => `"${p}"`).join(", ")} (email recipients go in sns_endpoint).`,
      },
      {
        condition: all("var.sns_subscriptions", `!contains(${JSON.stringify(protocols)}, item.protocol) || ${endpointMatches}`),
        errorMessage:
          "sns_subscriptions: each endpoint must fit its protocol: an https:// URL, a standard SQS queue ARN (a FIFO queue cannot subscribe to a standard topic), a Lambda function ARN, or a Firehose delivery stream ARN.",
      },
      {
        // Firehose subscriptions need a role SNS assumes to write to the stream:
        // https://docs.aws.amazon.com/sns/latest/dg/firehose-endpoints-subscribe.html
        condition: all("var.sns_subscriptions", `item.protocol != "firehose" || can(regex("${ROLE_ARN}", item.subscription_role_arn))`),
        errorMessage:
          "sns_subscriptions: a firehose subscription needs subscription_role_arn, the ARN of an IAM role that SNS assumes to write to the delivery stream (it needs firehose:PutRecord, firehose:PutRecordBatch and the stream's key, and trusts sns.amazonaws.com).",
      },
      {
        condition: all("var.sns_subscriptions", `item.protocol == "firehose" || item.subscription_role_arn == null`),
        errorMessage:
          'sns_subscriptions: subscription_role_arn is only used by protocol "firehose"; remove it from the other subscriptions.',
      },
      {
        condition: distinct("var.sns_subscriptions", "item.endpoint"),
        errorMessage: "sns_subscriptions lists the same endpoint more than once.",
      },
    ],
  });

  return { slackChannels, teamsChannels, snsSubscriptions };
}
