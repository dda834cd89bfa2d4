import { Construct } from "constructs";
import { Fn, type ITerraformDependable, TerraformIterator, type TerraformProvider, Token } from "cdktf";
import { ChatbotSlackChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-slack-channel-configuration";
import { ChatbotTeamsChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-teams-channel-configuration";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { expr } from "../shared/expressions";

/**
 * Where channel configurations are managed. The Amazon Q Developer in chat
 * applications (formerly AWS Chatbot) API exists only in us-east-2, us-west-2,
 * eu-west-1 and ap-southeast-1, and its console only in us-east-2
 * (https://docs.aws.amazon.com/general/latest/gr/chatbot.html); configurations
 * subscribe to topics in any region, here the us-east-1 chat topic.
 */
export const CHATBOT_REGION = "us-east-2";

/**
 * The guardrail: an IAM policy that caps what any role can do from a chat
 * channel ("What your users can do is the intersection of your guardrail
 * policies and what is allowed by their roles",
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html).
 * Left unset, the API applies AdministratorAccess
 * (https://docs.aws.amazon.com/chatbot/latest/APIReference/API_SlackChannelConfiguration.html, GuardrailPolicyArns).
 * These channels only receive alerts, so the guardrail is AWS's managed
 * AWSDenyAll (`Deny *` on `*`,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSDenyAll.html):
 * no command, button or custom action run from the channel can call any AWS
 * API, whatever role a channel member picks. Managed by AWS, so there is no
 * policy of ours to drift or be widened.
 */
export const GUARDRAIL_POLICY = "AWSDenyAll";

export interface ChatChannelsProps {
  /** The us-east-1 provider, for the (global) IAM role. */
  readonly provider: TerraformProvider;
  /** A provider in CHATBOT_REGION, for the channel configurations. */
  readonly chatbotProvider: TerraformProvider;
  /** Configuration and role names start with this (`var.application_name`). */
  readonly namePrefix: string;
  readonly partition: string;
  /** 1 when any channel is configured, else 0 (a Terraform number expression). */
  readonly count: number;
  /** Bare HCL expression of the Slack channels (`var.slack_channels`): a list of `{ workspace_id, channel_id }`. */
  readonly slackChannels: string;
  /** Bare HCL expression of the Teams channels (`var.teams_channels`): a list of `{ team_id, channel_id, tenant_id }`. */
  readonly teamsChannels: string;
  /** The chat topic's ARN (an expression, null without channels). */
  readonly chatTopicArn: string;
  /** The chat topic: configurations subscribe to it, so it must exist first. */
  readonly chatTopic: ITerraformDependable;
  /**
   * What Amazon Q Developer logs to CloudWatch Logs (ERROR, INFO or NONE).
   * @default "ERROR": a notification it could not deliver is on record, nothing else
   */
  readonly loggingLevel?: string;
}

/**
 * One Amazon Q Developer in chat applications configuration per Slack and
 * Teams channel, each subscribed to the chat topic, all sharing one channel
 * role that can do nothing. The workspace (Slack) or team (Teams) must have
 * been authorised once in the console; the README says how.
 *
 * Least privilege, three ways: the channel role has no permission policy at
 * all (notifications need none: SNS delivers them, and a custom notification
 * reads nothing from the account); the guardrail is AWSDenyAll (see
 * GUARDRAIL_POLICY); and user roles are required, so the channel role is
 * never used for a member's command
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html#role-settings).
 */
export class ChatChannels extends Construct {
  public readonly role: IamRole;
  public readonly slack: ChatbotSlackChannelConfiguration;
  public readonly teams: ChatbotTeamsChannelConfiguration;

  constructor(scope: Construct, id: string, props: ChatChannelsProps) {
    super(scope, id);
    const { partition } = props;

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      provider: props.provider,
      count: props.count,
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["chatbot.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      provider: props.provider,
      count: props.count,
      name: `${props.namePrefix}-chat-channel`,
      description: "Amazon Q Developer in chat applications channel role: delivers alerts only, may call nothing (AWSDenyAll guardrail)",
      assumeRolePolicy: expr(`data.${trust.terraformResourceType}.${trust.friendlyUniqueId}[0].json`),
    });
    const roleArn = expr(`${this.role.terraformResourceType}.${this.role.friendlyUniqueId}[0].arn`);

    const common = {
      provider: props.chatbotProvider,
      iamRoleArn: roleArn,
      snsTopicArns: [props.chatTopicArn],
      guardrailPolicyArns: [`arn:${partition}:iam::aws:policy/${GUARDRAIL_POLICY}`],
      userAuthorizationRequired: true,
      loggingLevel: props.loggingLevel ?? "ERROR",
      dependsOn: [props.chatTopic, this.role],
    };

    // Keyed by workspace and channel: adding or removing one channel leaves the others alone.
    const slack = TerraformIterator.fromMap(
      Token.asAnyMap(expr(`{ for c in ${props.slackChannels} : format("%s/%s", c.workspace_id, c.channel_id) => c }`)),
    );
    this.slack = new ChatbotSlackChannelConfiguration(this, "slack", {
      ...common,
      forEach: slack,
      // ^[A-Za-z0-9-_]+$, at most 128: IDs are letters and digits, validated to 40 each.
      configurationName: `${props.namePrefix}-slack-${slack.getString("workspace_id")}-${slack.getString("channel_id")}`,
      slackTeamId: slack.getString("workspace_id"),
      slackChannelId: slack.getString("channel_id"),
    });

    const teams = TerraformIterator.fromMap(
      Token.asAnyMap(
        expr(`{ for c in ${props.teamsChannels} : format("%s/%s/%s", lower(c.tenant_id), lower(c.team_id), c.channel_id) => c }`),
      ),
    );
    this.teams = new ChatbotTeamsChannelConfiguration(this, "teams", {
      ...common,
      forEach: teams,
      // Teams channel IDs hold % and other characters configuration names refuse: a short hash of the key instead.
      configurationName: `${props.namePrefix}-teams-${Fn.substr(Fn.sha256(teams.key), 0, 16)}`,
      teamId: teams.getString("team_id"),
      tenantId: teams.getString("tenant_id"),
      // The API takes the URL-encoded form; the decoded one (as Teams shows it in places) is encoded here.
      channelId: Fn.replace(Fn.replace(teams.getString("channel_id"), ":", "%3A"), "@", "%40"),
    });
  }
}
