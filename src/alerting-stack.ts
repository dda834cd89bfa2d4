import { Construct, Node } from "constructs";
import { Fn, Op, TerraformElement, Token, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { LogBucket } from "./log-bucket";
import { AccessLogBucket } from "./access-log-bucket";
import { EncryptionKey } from "./encryption-key";
import { FailureAlarms } from "./failure-alarms";
import { alertKeyStatements, trailKeyStatements } from "./key-policies";
import { AuditTrail } from "./audit-trail";
import { AlertTopic } from "./alert-topic";
import { DeadLetterQueue } from "./dead-letter-queue";
import { NotifierFunction } from "./notifier-function";
import { EventForwarding } from "./event-forwarding";
import { ForwardingRole } from "./forwarding-role";
import { API_CALL, EventRules, labelledInputTemplate, ref, RULE_SUFFIXES } from "./event-rules";
import {
  DEFAULT_ALERT_PRESETS,
  IAM_EVENTS_LABEL,
  PRESET_NAMES,
  forwardingPattern,
  presetRules,
  ruleSuffix,
  suppressionDetail,
  type DeploymentNames,
  type EventPattern,
} from "./presets";

/**
 * IAM is a global service: its CloudTrail events are delivered to EventBridge
 * only in US East (N. Virginia), so rules, function and topic live there.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html
 */
export const ALERTING_REGION = "us-east-1";

/** The seed's list, kept as the default of `iam_events`. */
export const DEFAULT_IAM_EVENTS = [
  "CreateUser",
  "DeleteUser",
  "CreateGroup",
  "DeleteGroup",
  "CreateAccessKey",
  "DeleteAccessKey",
  "DeleteVirtualMFADevice",
  "DeactivateMFADevice",
];

/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

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

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Wraps a Terraform expression so cdktf emits it verbatim (`${...}`). */
const expr = (hcl: string): string => "${" + hcl + "}";

/**
 * CloudTrail -> EventBridge -> Lambda -> SNS: an email within seconds of a
 * critical IAM call or any use of the root user.
 *
 * Terraform variables are declared here and nowhere else; constructs receive
 * their values as tokens, so a tfvars override takes effect at plan time
 * without synthesizing again.
 */
export class AlertingStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AlertingStackProps) {
    super(scope, id);

    const applicationName = new TerraformVariable(this, "application_name", {
      type: "string",
      default: "cloudtrail-alerting",
      description:
        "Prefix of every resource name. 2-28 characters: lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit (it also prefixes the S3 bucket name, which AWS caps at 63 characters).",
      validation: [
        {
          condition: expr(String.raw`can(regex("^[a-z][a-z0-9-]{0,26}[a-z0-9]$", var.application_name))`),
          errorMessage:
            "application_name must be 2-28 characters of lowercase letters, digits and hyphens, start with a letter and end with a letter or digit (no spaces): it prefixes S3, Lambda, IAM, SQS and EventBridge names.",
        },
        {
          condition: expr(
            `!anytrue([for reserved in ["xn--", "sthree-", "amzn-s3-demo-"] : startswith(var.application_name, reserved)])`,
          ),
          errorMessage:
            'application_name must not start with "xn--", "sthree-" or "amzn-s3-demo-": S3 reserves these bucket name prefixes.',
        },
      ],
    });

    const iamEvents = new TerraformVariable(this, "iam_events", {
      type: "list(string)",
      default: DEFAULT_IAM_EVENTS,
      description: "IAM API actions (CloudTrail eventName) that raise an alert.",
      validation: [
        {
          condition: expr("length(var.iam_events) > 0"),
          errorMessage: "iam_events must list at least one IAM API action, for example CreateUser.",
        },
        {
          condition: expr(String.raw`alltrue([for name in var.iam_events : can(regex("^[A-Z][A-Za-z0-9]{1,127}$", name))])`),
          errorMessage:
            "iam_events must contain API action names as CloudTrail records them (for example CreateAccessKey): a capital letter followed by letters and digits.",
        },
      ],
    });

    const snsEndpoint = new TerraformVariable(this, "sns_endpoint", {
      // "any" so that both the original form (one address as a string) and a list are accepted.
      type: "any",
      default: [],
      description:
        "Email address, or list of addresses, that receive alerts. Each recipient must confirm the subscription email AWS sends.",
      validation: [
        {
          condition: expr(
            String.raw`alltrue([for address in flatten([var.sns_endpoint]) : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])`,
          ),
          errorMessage:
            'sns_endpoint must be an email address or a list of email addresses, each like "security@example.com".',
        },
      ],
    });

    const logRetentionDays = new TerraformVariable(this, "log_retention_days", {
      type: "number",
      default: 365,
      description: "Days the notifier function's CloudWatch logs are kept.",
      validation: [
        {
          condition: expr(`contains([${LOG_RETENTION_DAYS.join(", ")}], var.log_retention_days)`),
          errorMessage: `log_retention_days must be one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}.`,
        },
      ],
    });

    const trailLogRetentionDays = new TerraformVariable(this, "trail_log_retention_days", {
      type: "number",
      default: 365,
      description: "Days CloudTrail log files are kept in the log bucket before they expire.",
      validation: [
        {
          condition: expr("var.trail_log_retention_days >= 90 && floor(var.trail_log_retention_days) == var.trail_log_retention_days"),
          errorMessage:
            "trail_log_retention_days must be a whole number of at least 90: audit logs kept for less are rarely enough for an investigation.",
        },
      ],
    });

    const tags = new TerraformVariable(this, "tags", {
      type: "map(string)",
      default: {},
      description: "Tags added to every resource (provider default_tags).",
    });

    const reservedConcurrency = new TerraformVariable(this, "notifier_reserved_concurrency", {
      type: "number",
      default: 5,
      nullable: true,
      description:
        "Concurrent executions reserved for (and capping) the notifier. null reserves none: needed in accounts whose Lambda concurrency quota is the new-account minimum of 10, where any reservation is refused.",
      validation: [
        {
          condition: expr("var.notifier_reserved_concurrency == null ? true : var.notifier_reserved_concurrency >= 1 && var.notifier_reserved_concurrency <= 1000"),
          errorMessage: "notifier_reserved_concurrency must be null or a whole number from 1 to 1000 (0 would disable the notifier).",
        },
      ],
    });

    const trailCloudWatchLogs = new TerraformVariable(this, "trail_cloudwatch_logs_enabled", {
      type: "bool",
      default: false,
      description:
        "Also deliver the trail to a KMS-encrypted CloudWatch Logs group (CIS 3.4), for metric filters and Logs Insights. Costs CloudWatch Logs ingestion ($0.50/GB in us-east-1) on every management event.",
    });

    // Read by the alert_preset_rules local below (var.alert_presets).
    new TerraformVariable(this, "alert_presets", {
      type: "list(string)",
      default: DEFAULT_ALERT_PRESETS,
      description: `Detection presets that add rules on top of iam_events (see README). Valid: ${PRESET_NAMES.join(", ")}.`,
      validation: [
        {
          condition: expr(`alltrue([for name in var.alert_presets : contains(${JSON.stringify(PRESET_NAMES)}, name)])`),
          errorMessage: `alert_presets must contain only known preset names: ${PRESET_NAMES.join(", ")}.`,
        },
      ],
    });

    const ignoredPrincipals = new TerraformVariable(this, "ignored_principal_arns", {
      type: "list(string)",
      default: [],
      description:
        "IAM user or role ARNs (for example a CI deployment role) whose calls do not alert for iam_events and the IAM presets (iam-persistence, iam-privilege-escalation, iam-federation, mfa-tampering). A role also covers its assumed-role sessions. Root activity, monitoring tampering and the other presets always alert.",
      validation: [
        {
          condition: expr(
            String.raw`alltrue([for arn in var.ignored_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/[A-Za-z0-9+=,.@_/-]+$", arn))])`,
          ),
          errorMessage:
            "ignored_principal_arns must contain IAM user or role ARNs such as arn:aws:iam::123456789012:role/ci-deploy. For an assumed role, give the role's ARN, not the arn:aws:sts::...:assumed-role/... session ARN: sessions are matched through the role that issued them.",
        },
      ],
    });

    const defaultTags = [{ tags: tags.value }];
    new AwsProvider(this, "aws", { region: props.homeRegion, defaultTags });
    const alerting = new AwsProvider(this, "aws_alerting", {
      alias: "alerting",
      region: ALERTING_REGION,
      defaultTags,
    });

    const account = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");
    const homeRegion = new DataAwsRegion(this, "home_region");

    const name = applicationName.stringValue;
    const recipients = new TerraformLocal(this, "alert_email_addresses", Fn.flatten([snsEndpoint.value]));
    // A topic nobody subscribes to is a silent failure: warn at every plan (a check block warns, it does not block).
    this.addOverride("check.alert_recipients.assert", [
      {
        condition: expr("length(local.alert_email_addresses) > 0"),
        error_message:
          "sns_endpoint is empty: alerts will be published to the SNS topic, but no email address receives them. Set sns_endpoint in terraform.tfvars, or subscribe another endpoint to the topic.",
      },
    ]);

    /** `arn:<partition>:<service>:<region>:<account>:<resource>` of a resource of this account. */
    const arn = (service: string, region: string, resource: string): string =>
      `arn:${partition.partition}:${service}:${region}:${account.accountId}:${resource}`;

    // The trail's ARN is needed by the bucket and key policies, which must exist before the trail.
    const trailName = `${name}-trail`;
    const trailArn = arn("cloudtrail", homeRegion.name, `trail/${trailName}`);
    const trailLogGroupName = `/aws/cloudtrail/${name}`;
    const trailLogGroupArn = arn("logs", homeRegion.name, `log-group:${trailLogGroupName}`);

    const trailKey = new EncryptionKey(this, "trail-key", {
      aliasName: `${name}-trail`,
      description: "Encrypts this deployment's CloudTrail log and digest files",
      accountId: account.accountId,
      partition: partition.partition,
      serviceStatements: trailKeyStatements({
        partition: partition.partition,
        accountId: account.accountId,
        trailArn,
        region: homeRegion.name,
        logGroupArn: trailLogGroupArn,
      }),
    });

    // Account and region make bucket names unique: S3 bucket names are global.
    const logBucketName = `${name}-logs-${account.accountId}-${homeRegion.name}`;
    const accessLogBucketName = `${name}-s3logs-${account.accountId}-${homeRegion.name}`;
    const accessLogBucket = new AccessLogBucket(this, "access-log-bucket", {
      bucketName: accessLogBucketName,
      retentionDays: trailLogRetentionDays.numberValue,
      accountId: account.accountId,
      sourceBucketArn: `arn:${partition.partition}:s3:::${logBucketName}`,
    });

    const logBucket = new LogBucket(this, "log-bucket", {
      bucketName: logBucketName,
      trailArn,
      accountId: account.accountId,
      retentionDays: trailLogRetentionDays.numberValue,
      kmsKeyArn: trailKey.key.arn,
      accessLogBucket,
    });

    const trail = new AuditTrail(this, "audit-trail", {
      trailName,
      trailArn,
      bucketName: logBucket.bucket.bucket,
      kmsKeyArn: trailKey.key.arn,
      dependsOn: [logBucket.policy, trailKey.key],
      cloudWatchLogs: {
        enabled: trailCloudWatchLogs.value as boolean,
        retentionDays: logRetentionDays.numberValue,
        kmsKeyArn: trailKey.key.arn,
        logGroupName: trailLogGroupName,
        logGroupArn: trailLogGroupArn,
        roleName: `${trailName}-to-logs`,
        roleArn: arn("iam", "", `role/${trailName}-to-logs`),
      },
    });

    // The alerting half lives in us-east-1 and has its own key there (KMS keys are regional).
    const functionName = `${name}-notifier`;
    const functionRoleArn = arn("iam", "", `role/${functionName}`);
    const notifierLogGroupArn = arn("logs", ALERTING_REGION, `log-group:/aws/lambda/${functionName}`);
    const alarmArnPattern = arn("cloudwatch", ALERTING_REGION, `alarm:${name}-*`);
    const alertKey = new EncryptionKey(this, "alert-key", {
      provider: alerting,
      aliasName: `${name}-alerts`,
      description: "Encrypts this deployment's alert topic, notifier environment and logs",
      accountId: account.accountId,
      partition: partition.partition,
      serviceStatements: alertKeyStatements({
        accountId: account.accountId,
        alarmArnPattern,
        region: ALERTING_REGION,
        logGroupArn: notifierLogGroupArn,
      }),
    });

    const topicName = `${name}-alerts`;
    const topic = new AlertTopic(this, "alert-topic", {
      provider: alerting,
      topicName,
      emailAddresses: recipients.asList,
      accountId: account.accountId,
      partition: partition.partition,
      kmsKeyArn: alertKey.key.arn,
      alarmArnPattern,
    });

    const notifierDlq = new DeadLetterQueue(this, "notifier-dlq", {
      provider: alerting,
      queueName: `${name}-notifier-dlq`,
      senderRoleArns: [functionRoleArn],
    });

    const notifier = new NotifierFunction(this, "notifier", {
      provider: alerting,
      functionName,
      bundleDir: props.handlerBundleDir,
      topicArn: topic.topic.arn,
      deadLetterQueueArn: notifierDlq.queue.arn,
      logRetentionDays: logRetentionDays.numberValue,
      kmsKeyArn: alertKey.key.arn,
      reservedConcurrency: reservedConcurrency.numberValue,
    });

    // Presets: the catalog (every preset part, with patterns built over this
    // deployment's names) and the enabled subset, both Terraform locals so
    // that alert_presets in tfvars decides at plan time which rules exist.
    const names: DeploymentNames = {
      namePrefix: name,
      trailName,
      logBucketName,
      accessLogBucketName,
      functionName,
      topicArn: arn("sns", ALERTING_REGION, topicName),
    };
    // `anything-but` with an empty list is not a valid pattern, so suppression
    // is merged into a pattern only when the list is non-empty (jsonencode on
    // both sides keeps the conditional's types equal).
    const suppression = Fn.jsondecode(
      Fn.conditional(Op.gte(Fn.lengthOf(ignoredPrincipals.listValue), 1), Fn.jsonencode(suppressionDetail(ignoredPrincipals.listValue)), "{}"),
    );
    const suppressed = (pattern: EventPattern): EventPattern => ({ ...pattern, detail: Fn.merge([pattern.detail ?? {}, suppression]) });

    const catalog = new TerraformLocal(
      this,
      "alert_presets_catalog",
      Object.fromEntries(
        presetRules().map(({ key, preset, part }) => [
          key,
          {
            preset: preset.name,
            severity: preset.severity,
            scope: part.scope,
            name_suffix: ruleSuffix(key),
            description: `${preset.name} (${preset.severity}): ${part.description}`,
            input_template: labelledInputTemplate(preset.name, preset.severity),
            event_pattern: Fn.jsonencode(preset.suppressible ? suppressed(part.pattern(names)) : part.pattern(names)),
          },
        ]),
      ),
    );
    const enabledPresetRules = new TerraformLocal(
      this,
      "alert_preset_rules",
      expr(`{ for key, rule in local.${catalog.friendlyUniqueId} : key => rule if contains(var.alert_presets, rule.preset) }`),
    );

    const rules = new EventRules(this, "event-rules", {
      provider: alerting,
      namePrefix: name,
      iamEventsPattern: Fn.jsonencode(
        suppressed({
          source: ["aws.iam"],
          "detail-type": [API_CALL],
          detail: { eventSource: ["iam.amazonaws.com"], eventName: iamEvents.listValue },
        }),
      ),
      iamEventsInputTemplate: labelledInputTemplate(IAM_EVENTS_LABEL.preset, IAM_EVENTS_LABEL.severity),
      presetRules: enabledPresetRules,
      ruleArnPrefix: arn("events", ALERTING_REGION, "rule/"),
      targetFunctionArn: notifier.function.arn,
      targetFunctionName: notifier.function.functionName,
      deadLetterQueueName: `${name}-delivery-dlq`,
    });

    this.forwardRegionalEvents(props, {
      namePrefix: name,
      defaultTags,
      accountId: account.accountId,
      partition: partition.partition,
      targetBusArn: arn("events", ALERTING_REGION, "event-bus/default"),
      homeRegionName: homeRegion.name,
      homeRegionId: `${homeRegion.friendlyUniqueId}.name`,
      alerting,
    });

    new FailureAlarms(this, "failure-alarms", {
      provider: alerting,
      namePrefix: name,
      topicArn: topic.topic.arn,
      functionName: notifier.function.functionName,
      rules: [{ key: RULE_SUFFIXES.iamEvents, name: rules.iamEvents.name }],
      ruleSets: [{ key: "presets", rules: rules.presets }],
      deadLetterQueues: [
        {
          key: "delivery-dlq",
          queueName: rules.deadLetterQueue.queue.name,
          meaning: "Events that EventBridge could not deliver to the notifier function after 24 hours of retries: these alerts were NOT sent.",
        },
        {
          key: "notifier-dlq",
          queueName: notifierDlq.queue.name,
          meaning: "Events the notifier function received but could not turn into an alert after Lambda's retries: these alerts were NOT sent.",
        },
      ],
    });

    // The seed's root rule is now the root-activity preset: moved blocks keep
    // an upgraded deployment's rule, target, permission and alarm in place
    // (without them Terraform would create the "new" rule, which PutRule
    // merges into the existing one by name, then delete it as the "old" one).
    const moved = (type: string, from: string, to: string): { from: string; to: string } => ({
      from: `${type}.${from}`,
      to: `${type}.${to}["root-activity"]`,
    });
    this.addOverride("moved", [
      moved("aws_cloudwatch_event_rule", "event_rules_root_activity", rules.presets.friendlyUniqueId),
      moved("aws_cloudwatch_event_target", "event_rules_root_activity_target", "event_rules_presets_target"),
      moved("aws_lambda_permission", "event_rules_root_activity_permission", "event_rules_presets_permission"),
      moved("aws_cloudwatch_metric_alarm", "failure_alarms_root_activity_failed_invocations", "failure_alarms_presets_failed_invocations"),
    ]);

    new TerraformOutput(this, "topic_arn", { value: topic.topic.arn, description: "SNS topic alerts are published to" });
    new TerraformOutput(this, "trail_arn", { value: trail.trail.arn });
    new TerraformOutput(this, "log_bucket_name", { value: logBucket.bucket.bucket });
    new TerraformOutput(this, "notifier_function_name", { value: notifier.function.functionName });
    new TerraformOutput(this, "event_rule_names", {
      value: Token.asList(expr(`concat([${ref(rules.iamEvents)}.name], values(${ref(rules.presets)})[*].name)`)),
      description: "Rules in the alerting region: iam_events, then one per enabled preset part",
    });
    new TerraformOutput(this, "alerting_region", {
      value: ALERTING_REGION,
      description: "Region of the rules, function and topic (where IAM events reach EventBridge)",
    });
  }

  /**
   * Forwarding from each watched region other than us-east-1: the enabled
   * regional preset parts, on that region's default bus, to us-east-1's.
   * With no region configured at synth time, the home region is only known
   * at plan time, so its forwarding is created only if it is not us-east-1.
   */
  private forwardRegionalEvents(
    props: AlertingStackProps,
    context: {
      namePrefix: string;
      defaultTags: { tags: { [key: string]: string } }[];
      accountId: string;
      partition: string;
      targetBusArn: string;
      homeRegionName: string;
      /** `<data source id>.name` of the home region, for the plan-time condition. */
      homeRegionId: string;
      alerting: AwsProvider;
    },
  ): void {
    for (const region of props.watchRegions ?? []) {
      if (!REGION_NAME.test(region)) {
        throw new Error(`watchRegions: "${region}" is not an AWS region name such as "eu-west-1". Fix the "watchRegions" context in cdktf.json.`);
      }
    }
    const explicit = [...new Set(props.watchRegions ?? (props.homeRegion !== undefined ? [props.homeRegion] : []))].filter(
      (region) => region !== ALERTING_REGION,
    );
    const homeResolvedAtPlan = props.watchRegions === undefined && props.homeRegion === undefined;
    if (explicit.length === 0 && !homeResolvedAtPlan) return;

    const regional = new TerraformLocal(
      this,
      "alert_forwarded_rules",
      expr(`{ for key, rule in local.alert_preset_rules : key => rule if rule.scope == "regional" }`),
    );
    const anyRegional = `length(local.${regional.friendlyUniqueId}) > 0`;
    // data.aws_region.home_region: the default provider's region, read at plan time.
    const homeIsElsewhere = `data.aws_region.${context.homeRegionId} != "${ALERTING_REGION}"`;
    const count = (condition: string): number => Token.asNumber(expr(`${condition} ? 1 : 0`));

    const roleName = `${context.namePrefix}-event-forwarding`;
    const role = new ForwardingRole(this, "forwarding-role", {
      provider: context.alerting,
      roleName,
      accountId: context.accountId,
      targetBusArn: context.targetBusArn,
      count: count(explicit.length > 0 ? anyRegional : `${anyRegional} && ${homeIsElsewhere}`),
    });
    const forwarding = {
      ruleName: `${context.namePrefix}-forward-to-alerting-region`,
      eventPattern: JSON.stringify(forwardingPattern()),
      targetBusArn: context.targetBusArn,
      // A name-built ARN: the role is counted (0 or 1), and the targets depend on it explicitly.
      roleArn: `arn:${context.partition}:iam::${context.accountId}:role/${roleName}`,
      dependsOn: [role.role, role.policy],
    };

    for (const region of explicit) {
      const provider = new AwsProvider(this, `aws_watch_${region}`, {
        alias: `watch_${region.replace(/-/g, "_")}`,
        region,
        defaultTags: context.defaultTags,
      });
      new EventForwarding(this, `forwarding-${region}`, { ...forwarding, provider, count: count(anyRegional) });
    }
    if (homeResolvedAtPlan) {
      new EventForwarding(this, "forwarding-home", { ...forwarding, count: count(`${anyRegional} && ${homeIsElsewhere}`) });
    }
  }

  /**
   * Readable, stable Terraform addresses for plan review: the construct path
   * in snake case (`aws_s3_bucket_policy.log_bucket_policy`) instead of
   * cdktf's default path plus hash suffix. Construct paths are unique, and
   * construct ids here use only letters, digits, `-` and `_`.
   */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    return node.path
      .split("/")
      .slice(1)
      .join("_")
      .replace(/[^A-Za-z0-9_]/g, "_");
  }
}
