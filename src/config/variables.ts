/**
 * The Terraform variables: declared here, once, with a type, a description
 * and a validation whose message names the variable. Everything below the
 * stack receives their values as tokens, so a tfvars override takes effect at
 * plan time without synthesizing again.
 */
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { DEFAULT_ALERT_PRESETS, PRESET_NAMES } from "../detection/presets";
import { expr } from "../shared/expressions";

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

/** Retention values CloudWatch Logs accepts: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export interface StackVariables {
  readonly applicationName: TerraformVariable;
  readonly iamEvents: TerraformVariable;
  readonly snsEndpoint: TerraformVariable;
  readonly logRetentionDays: TerraformVariable;
  readonly trailLogRetentionDays: TerraformVariable;
  readonly tags: TerraformVariable;
  readonly reservedConcurrency: TerraformVariable;
  readonly trailCloudWatchLogs: TerraformVariable;
  readonly alertPresets: TerraformVariable;
  readonly ignoredPrincipals: TerraformVariable;
  readonly heartbeatIntervalMinutes: TerraformVariable;
}

/** Declares every variable on the stack (their names are the tfvars keys users write). */
export function declareVariables(scope: Construct): StackVariables {
  const applicationName = new TerraformVariable(scope, "application_name", {
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

  const iamEvents = new TerraformVariable(scope, "iam_events", {
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

  const snsEndpoint = new TerraformVariable(scope, "sns_endpoint", {
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

  const logRetentionDays = new TerraformVariable(scope, "log_retention_days", {
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

  const trailLogRetentionDays = new TerraformVariable(scope, "trail_log_retention_days", {
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

  const tags = new TerraformVariable(scope, "tags", {
    type: "map(string)",
    default: {},
    description: "Tags added to every resource (provider default_tags).",
  });

  const reservedConcurrency = new TerraformVariable(scope, "notifier_reserved_concurrency", {
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

  const trailCloudWatchLogs = new TerraformVariable(scope, "trail_cloudwatch_logs_enabled", {
    type: "bool",
    default: false,
    description:
      "Also deliver the trail to a KMS-encrypted CloudWatch Logs group (CIS 3.4), for metric filters and Logs Insights. Costs CloudWatch Logs ingestion ($0.50/GB in us-east-1) on every management event.",
  });

  const alertPresets = new TerraformVariable(scope, "alert_presets", {
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

  const ignoredPrincipals = new TerraformVariable(scope, "ignored_principal_arns", {
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

  // Bounds: EventBridge Scheduler's smallest rate is 1 minute; at most 12 so that
  // one lost heartbeat (CloudTrail delivers to EventBridge on a best-effort
  // basis) never fires the alarm: two intervals stay inside its 25-minute
  // window (see src/liveness/heartbeat-timing.ts).
  const heartbeatIntervalMinutes = new TerraformVariable(scope, "heartbeat_interval_minutes", {
    type: "number",
    default: 10,
    nullable: true,
    description:
      "Minutes between heartbeats: EventBridge Scheduler tags a canary IAM role, CloudTrail records it, a rule hands it to the notifier, which publishes it to a topic nobody reads and counts it; an alarm emails the recipients when no heartbeat arrived for 25 minutes. null turns the heartbeat off.",
    validation: [
      {
        condition: expr(
          "var.heartbeat_interval_minutes == null ? true : var.heartbeat_interval_minutes >= 1 && var.heartbeat_interval_minutes <= 12 && floor(var.heartbeat_interval_minutes) == var.heartbeat_interval_minutes",
        ),
        errorMessage:
          "heartbeat_interval_minutes must be null (no heartbeat) or a whole number from 1 to 12: the heartbeat alarm fires after 25 minutes without one, and one lost heartbeat must not fire it.",
      },
    ],
  });

  return {
    applicationName,
    iamEvents,
    snsEndpoint,
    logRetentionDays,
    trailLogRetentionDays,
    tags,
    reservedConcurrency,
    trailCloudWatchLogs,
    alertPresets,
    ignoredPrincipals,
    heartbeatIntervalMinutes,
  };
}
