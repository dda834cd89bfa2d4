import { Construct, Node } from "constructs";
import { Fn, TerraformElement, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { LogBucket } from "./log-bucket";
import { AuditTrail } from "./audit-trail";
import { AlertTopic } from "./alert-topic";
import { DeadLetterQueue } from "./dead-letter-queue";
import { NotifierFunction } from "./notifier-function";
import { EventRules } from "./event-rules";

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
}

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

    // The trail's ARN is needed by the bucket policy, which must exist before the trail.
    const trailName = `${name}-trail`;
    const trailArn = `arn:${partition.partition}:cloudtrail:${homeRegion.name}:${account.accountId}:trail/${trailName}`;

    const logBucket = new LogBucket(this, "log-bucket", {
      // Account and region make the name unique: S3 bucket names are global.
      bucketName: `${name}-logs-${account.accountId}-${homeRegion.name}`,
      trailArn,
      accountId: account.accountId,
      retentionDays: trailLogRetentionDays.numberValue,
    });

    const trail = new AuditTrail(this, "audit-trail", {
      trailName,
      bucketName: logBucket.bucket.bucket,
      dependsOn: [logBucket.policy],
    });

    const topic = new AlertTopic(this, "alert-topic", {
      provider: alerting,
      topicName: `${name}-alerts`,
      emailAddresses: recipients.asList,
      accountId: account.accountId,
      partition: partition.partition,
    });

    const notifierDlq = new DeadLetterQueue(this, "notifier-dlq", {
      provider: alerting,
      queueName: `${name}-notifier-dlq`,
    });

    const notifier = new NotifierFunction(this, "notifier", {
      provider: alerting,
      functionName: `${name}-notifier`,
      bundleDir: props.handlerBundleDir,
      topicArn: topic.topic.arn,
      deadLetterQueueArn: notifierDlq.queue.arn,
      logRetentionDays: logRetentionDays.numberValue,
    });

    const rules = new EventRules(this, "event-rules", {
      provider: alerting,
      namePrefix: name,
      iamEvents: iamEvents.listValue,
      targetFunctionArn: notifier.function.arn,
      targetFunctionName: notifier.function.functionName,
      deadLetterQueueName: `${name}-delivery-dlq`,
    });

    new TerraformOutput(this, "topic_arn", { value: topic.topic.arn, description: "SNS topic alerts are published to" });
    new TerraformOutput(this, "trail_arn", { value: trail.trail.arn });
    new TerraformOutput(this, "log_bucket_name", { value: logBucket.bucket.bucket });
    new TerraformOutput(this, "notifier_function_name", { value: notifier.function.functionName });
    new TerraformOutput(this, "event_rule_names", { value: rules.rules.map((rule) => rule.name) });
    new TerraformOutput(this, "alerting_region", {
      value: ALERTING_REGION,
      description: "Region of the rules, function and topic (where IAM events reach EventBridge)",
    });
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
