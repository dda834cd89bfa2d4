import type { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { Composite } from "../shared/composite";
import { ChatChannels } from "./chat-channels";
import type { DestinationTopic } from "./destination-topic";
import { StructuredSubscriptions } from "./structured-subscriptions";

export interface AlertDestinationsProps {
  /** The us-east-1 provider. */
  readonly provider: TerraformProvider;
  /** A provider in the region of the Amazon Q Developer in chat applications API (`CHATBOT_REGION`). */
  readonly chatbotProvider: TerraformProvider;
  /** `var.application_name`. */
  readonly namePrefix: string;
  readonly partition: string;
  /** 1 when any chat channel is configured, else 0. */
  readonly chatCount: number;
  /** Bare HCL expressions of the variables: `var.slack_channels`, `var.teams_channels`, `var.sns_subscriptions`. */
  readonly slackChannels: string;
  readonly teamsChannels: string;
  readonly snsSubscriptions: string;
  readonly chatTopic: DestinationTopic;
  readonly structuredTopic: DestinationTopic;
}

/**
 * Who receives the alerts besides email: the Slack and Teams channels on the
 * chat topic, and the `sns_subscriptions` endpoints on the structured-alert
 * topic. Both topics, and the notifier's publishing to them, are part of
 * AlertDelivery; their delivery-failure alarms are on the topics.
 */
export class AlertDestinations extends Composite {
  public readonly chat: ChatChannels;
  public readonly structured: StructuredSubscriptions;

  constructor(scope: Construct, id: string, props: AlertDestinationsProps) {
    super(scope, id);

    this.chat = new ChatChannels(this, "chat-channels", {
      provider: props.provider,
      chatbotProvider: props.chatbotProvider,
      namePrefix: props.namePrefix,
      partition: props.partition,
      count: props.chatCount,
      slackChannels: props.slackChannels,
      teamsChannels: props.teamsChannels,
      chatTopicArn: props.chatTopic.arn,
      chatTopic: props.chatTopic.topic,
    });

    this.structured = new StructuredSubscriptions(this, "structured-subscriptions", {
      provider: props.provider,
      subscriptions: props.snsSubscriptions,
      topicArn: props.structuredTopic.arn,
      topic: props.structuredTopic.topic,
    });
  }
}
