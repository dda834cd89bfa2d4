import { Construct, Node } from "constructs";
import { Fn, TerraformElement, TerraformLocal, TerraformOutput, TerraformStack, Token } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { AuditLogging } from "../audit/audit-logging";
import { deploymentNaming } from "../config/naming";
import { ALERTING_REGION } from "../config/regions";
import { CHAT_ENABLED, declareDestinationVariables, STRUCTURED_ENABLED } from "../config/destination-variables";
import { declareOrganizationVariables } from "../config/organization-variables";
import { declareVariables } from "../config/variables";
import { AlertDelivery } from "../delivery/alert-delivery";
import { AlertDestinations } from "../delivery/alert-destinations";
import { CHATBOT_REGION } from "../delivery/chat-channels";
import { FailureAlarms } from "../delivery/failure-alarms";
import { Detection } from "../detection/detection";
import { ref, RULE_SUFFIXES } from "../detection/event-rules";
import { RegionalForwarding } from "../detection/regional-forwarding";
import { Liveness, livenessRuleSuffixes } from "../liveness/liveness";
import { OrganizationCoverage } from "../organization/organization-coverage";
import { expr } from "../shared/expressions";
import { duplicateLogicalIds, readableLogicalId } from "./logical-ids";
import { addUpgradeMoves } from "./upgrades";

export { ALERTING_REGION } from "../config/regions";
export { DEFAULT_IAM_EVENTS } from "../config/variables";

export interface AlertingStackProps {
  /** Folder holding the built handler bundle (`handler/dist`). */
  readonly handlerBundleDir: string;
  /**
   * Region of the trail and its log bucket. The trail is multi-region, so
   * this only decides where logs are stored.
   * @default - the AWS provider's own resolution (AWS_REGION, AWS_DEFAULT_REGION, profile), as in plain Terraform
   */
  readonly homeRegion?: string;
  /**
   * Regions whose regional events (CloudTrail, S3, KMS, EC2, Config, root API
   * calls, console sign-in) are watched. us-east-1, the alerting region, is
   * always watched; each other region gets forwarding rules to it. Global
   * events (IAM, Organizations) exist only in us-east-1 and are never
   * forwarded. A synth-time setting: providers cannot be created per variable.
   * @default - the home region: `homeRegion` when set, else the provider's own resolution (forwarding then exists only if that turns out not to be us-east-1)
   */
  readonly watchRegions?: string[];
}

/**
 * CloudTrail -> EventBridge -> Lambda -> SNS: an alert within seconds of a
 * critical IAM call or any use of the root user. Composition only: each
 * concern is a construct of its own folder under src/.
 */
export class AlertingStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AlertingStackProps) {
    super(scope, id);
    this.node.addValidation({ validate: () => duplicateLogicalIds(this) });
    const vars = declareVariables(this);
    const org = declareOrganizationVariables(this);
    const destinationVars = declareDestinationVariables(this);

    const defaultTags = [{ tags: vars.tags.value }];
    new AwsProvider(this, "aws", { region: props.homeRegion, defaultTags });
    const alerting = new AwsProvider(this, "aws_alerting", { alias: "alerting", region: ALERTING_REGION, defaultTags });
    // Used only by Slack/Teams channel configurations (none by default): see CHATBOT_REGION.
    const chatbot = new AwsProvider(this, "aws_chatbot", { alias: "chatbot", region: CHATBOT_REGION, defaultTags });
    const account = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");
    const homeRegion = new DataAwsRegion(this, "home_region");
    const naming = deploymentNaming({
      name: vars.applicationName.stringValue,
      accountId: account.accountId,
      partition: partition.partition,
      homeRegion: homeRegion.name,
    });

    const recipients = new TerraformLocal(this, "alert_email_addresses", Fn.flatten([vars.snsEndpoint.value]));
    // A topic nobody subscribes to is a silent failure: warn at every plan (a check block warns, it does not block).
    this.addOverride("check.alert_recipients.assert", [
      {
        condition: expr("length(local.alert_email_addresses) > 0"),
        error_message:
          "sns_endpoint is empty: alerts will be published to the SNS topic, but no email address receives them. Set sns_endpoint in terraform.tfvars, or subscribe another endpoint to the topic.",
      },
    ]);

    const audit = new AuditLogging(this, "audit", {
      naming,
      retentionDays: vars.trailLogRetentionDays.numberValue,
      logRetentionDays: vars.logRetentionDays.numberValue,
      cloudWatchLogsEnabled: vars.trailCloudWatchLogs.value as boolean,
      createTrail: org.createTrail.value as boolean,
    });

    const delivery = new AlertDelivery(this, "delivery", {
      provider: alerting,
      naming,
      emailAddresses: recipients.asList,
      logRetentionDays: vars.logRetentionDays.numberValue,
      reservedConcurrency: vars.reservedConcurrency.numberValue,
      handlerBundleDir: props.handlerBundleDir,
      accountNames: org.accountNames.value as Record<string, string>,
      chatEnabled: CHAT_ENABLED,
      structuredEnabled: STRUCTURED_ENABLED,
    });

    new AlertDestinations(this, "destinations", {
      provider: alerting,
      chatbotProvider: chatbot,
      namePrefix: naming.name,
      partition: naming.partition,
      chatCount: Token.asNumber(expr(`${CHAT_ENABLED} ? 1 : 0`)),
      slackChannels: `var.${destinationVars.slackChannels.friendlyUniqueId}`,
      teamsChannels: `var.${destinationVars.teamsChannels.friendlyUniqueId}`,
      snsSubscriptions: `var.${destinationVars.snsSubscriptions.friendlyUniqueId}`,
      chatTopic: delivery.chatTopic!,
      structuredTopic: delivery.structuredTopic!,
    });

    const detection = new Detection(this, "detection", {
      provider: alerting,
      naming,
      iamEvents: vars.iamEvents.listValue,
      ignoredPrincipalArns: vars.ignoredPrincipals.listValue,
      targetFunctionArn: delivery.notifier.function.arn,
      targetFunctionName: delivery.notifier.function.functionName,
      additionalDeadLetterRuleSuffixes: livenessRuleSuffixes(vars.heartbeatIntervalMinutes.numberValue),
    });
    const { rules } = detection;

    new RegionalForwarding(this, "regional-forwarding", {
      naming,
      alerting,
      defaultTags,
      enabledPresetRules: detection.enabledPresetRules,
      homeRegionId: `${homeRegion.friendlyUniqueId}.name`,
      homeRegion: props.homeRegion,
      watchRegions: props.watchRegions,
    });

    new Liveness(this, "liveness", {
      provider: alerting,
      naming,
      heartbeatIntervalMinutes: vars.heartbeatIntervalMinutes.numberValue,
      iamEvents: vars.iamEvents.listValue,
      notifierFunctionArn: delivery.notifier.function.arn,
      notifierFunctionName: delivery.notifier.function.functionName,
      alertTopicArn: delivery.topic.topic.arn,
      alertKeyArn: delivery.alertKey.key.arn,
      deliveryDeadLetterQueueArn: rules.deadLetterQueue.queue.arn,
    });

    new OrganizationCoverage(this, "organization", {
      provider: alerting,
      naming,
      organizationId: org.organizationId.stringValue,
      organizationUnitIds: org.organizationUnitIds.listValue,
      memberRegions: org.memberRegions.listValue,
      centrallyForwardedRegions: `concat([${naming.homeRegion}], ${JSON.stringify(props.watchRegions ?? [])})`,
    });

    new FailureAlarms(this, "failure-alarms", {
      provider: alerting,
      namePrefix: naming.name,
      topicArn: delivery.topic.topic.arn,
      functionName: delivery.notifier.function.functionName,
      rules: [{ key: RULE_SUFFIXES.iamEvents, name: rules.iamEvents.name }],
      ruleSets: [{ key: "presets", rules: rules.presets }],
      deadLetterQueues: [
        {
          key: "delivery-dlq",
          queueName: rules.deadLetterQueue.queue.name,
          meaning:
            "Events that EventBridge could not deliver to the notifier function (or, for the watched regions' alarms, to the alert topic) after 24 hours of retries: these alerts were NOT sent.",
        },
        {
          key: "notifier-dlq",
          queueName: delivery.notifierDlq.queue.name,
          meaning: "Events the notifier function received but could not turn into an alert after Lambda's retries: these alerts were NOT sent.",
        },
      ],
    });

    addUpgradeMoves(this, rules.presets.friendlyUniqueId);

    new TerraformOutput(this, "topic_arn", { value: delivery.topic.topic.arn, description: "SNS topic alerts are published to" });
    new TerraformOutput(this, "structured_topic_arn", {
      value: delivery.structuredTopic!.arn,
      description:
        "Topic of the structured JSON alerts that sns_subscriptions receive (null without them): allow it in the queue policy or function permission of each endpoint",
    });
    new TerraformOutput(this, "trail_arn", {
      value: expr(`one(${audit.trail.trail.terraformResourceType}.${audit.trail.trail.friendlyUniqueId}[*].arn)`),
      description: "This deployment's trail (null with create_trail = false)",
    });
    new TerraformOutput(this, "log_bucket_name", { value: audit.logBucket.bucket.bucket });
    new TerraformOutput(this, "notifier_function_name", { value: delivery.notifier.function.functionName });
    new TerraformOutput(this, "event_rule_names", {
      value: Token.asList(expr(`concat([${ref(rules.iamEvents)}.name], values(${ref(rules.presets)})[*].name)`)),
      description: "Rules in the alerting region: iam_events, then one per enabled preset part",
    });
    new TerraformOutput(this, "alerting_region", {
      value: ALERTING_REGION,
      description: "Region of the rules, function and topic (where IAM events reach EventBridge)",
    });
  }

  /** Addresses stay what released versions deployed: see `./logical-ids.ts`. */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    return readableLogicalId(this, element);
  }
}
