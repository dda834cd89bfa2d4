/**
 * The README's IAM policy for the deploying principal ("Permissions to
 * deploy") against what the synthesized stack manages: every `aws_*` resource
 * type's service is allowed, with the actions that create and delete it, and
 * no other service; nothing is a wildcard action; unscoped resources only
 * where the action has no resource-level permissions.
 *
 * When the stack gains a resource type, the first test fails until the type
 * is added to TYPES below and the policy covers it.
 * Service authorization reference: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT, synthStack } from "../support/synth";

/** Per resource type: the IAM service prefix and the actions Terraform's create and delete call. */
const TYPES: Readonly<Record<string, { readonly service: string; readonly actions: readonly string[] }>> = {
  aws_chatbot_slack_channel_configuration: { service: "chatbot", actions: ["CreateSlackChannelConfiguration", "DeleteSlackChannelConfiguration"] },
  aws_chatbot_teams_channel_configuration: { service: "chatbot", actions: ["CreateMicrosoftTeamsChannelConfiguration", "DeleteMicrosoftTeamsChannelConfiguration"] },
  aws_cloudformation_stack_set: { service: "cloudformation", actions: ["CreateStackSet", "DeleteStackSet"] },
  aws_cloudformation_stack_set_instance: { service: "cloudformation", actions: ["CreateStackInstances", "DeleteStackInstances"] },
  aws_cloudtrail: { service: "cloudtrail", actions: ["CreateTrail", "StartLogging", "DeleteTrail"] },
  aws_cloudwatch_event_permission: { service: "events", actions: ["PutPermission", "RemovePermission"] },
  aws_cloudwatch_event_rule: { service: "events", actions: ["PutRule", "DeleteRule"] },
  aws_cloudwatch_event_target: { service: "events", actions: ["PutTargets", "RemoveTargets"] },
  aws_cloudwatch_log_group: { service: "logs", actions: ["CreateLogGroup", "PutRetentionPolicy", "DeleteLogGroup"] },
  aws_cloudwatch_metric_alarm: { service: "cloudwatch", actions: ["PutMetricAlarm", "DeleteAlarms"] },
  aws_iam_role: { service: "iam", actions: ["CreateRole", "DeleteRole", "PassRole"] },
  aws_iam_role_policy: { service: "iam", actions: ["PutRolePolicy", "DeleteRolePolicy"] },
  aws_kms_alias: { service: "kms", actions: ["CreateAlias", "DeleteAlias"] },
  aws_kms_key: { service: "kms", actions: ["CreateKey", "EnableKeyRotation", "ScheduleKeyDeletion"] },
  aws_lambda_function: { service: "lambda", actions: ["CreateFunction", "PutFunctionConcurrency", "DeleteFunction"] },
  aws_lambda_function_event_invoke_config: { service: "lambda", actions: ["PutFunctionEventInvokeConfig", "DeleteFunctionEventInvokeConfig"] },
  aws_lambda_permission: { service: "lambda", actions: ["AddPermission", "RemovePermission"] },
  aws_s3_bucket: { service: "s3", actions: ["CreateBucket", "DeleteBucket"] },
  aws_s3_bucket_lifecycle_configuration: { service: "s3", actions: ["PutLifecycleConfiguration"] },
  aws_s3_bucket_logging: { service: "s3", actions: ["PutBucketLogging"] },
  aws_s3_bucket_ownership_controls: { service: "s3", actions: ["PutBucketOwnershipControls"] },
  aws_s3_bucket_policy: { service: "s3", actions: ["PutBucketPolicy", "DeleteBucketPolicy"] },
  aws_s3_bucket_public_access_block: { service: "s3", actions: ["PutBucketPublicAccessBlock"] },
  aws_s3_bucket_server_side_encryption_configuration: { service: "s3", actions: ["PutEncryptionConfiguration"] },
  aws_s3_bucket_versioning: { service: "s3", actions: ["PutBucketVersioning"] },
  aws_scheduler_schedule: { service: "scheduler", actions: ["CreateSchedule", "DeleteSchedule"] },
  aws_scheduler_schedule_group: { service: "scheduler", actions: ["CreateScheduleGroup", "DeleteScheduleGroup"] },
  aws_sns_topic: { service: "sns", actions: ["CreateTopic", "DeleteTopic"] },
  aws_sns_topic_policy: { service: "sns", actions: ["SetTopicAttributes"] },
  aws_sns_topic_subscription: { service: "sns", actions: ["Subscribe", "Unsubscribe"] },
  aws_sqs_queue: { service: "sqs", actions: ["CreateQueue", "DeleteQueue"] },
  aws_sqs_queue_policy: { service: "sqs", actions: ["SetQueueAttributes"] },
};

/** Actions with no resource-level permissions: the only ones allowed on `*`. */
const UNSCOPED = new Set(["cloudtrail:DescribeTrails", "cloudwatch:DescribeAlarms", "kms:CreateKey", "kms:ListAliases", "logs:DescribeLogGroups", "organizations:DescribeOrganization"]);

/** `npm run destroy -- --empty-log-buckets` empties the log buckets with the SDK. */
const EMPTYING = ["s3:ListBucketVersions", "s3:DeleteObjectVersion"];

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** IAM's wildcard matching of an action pattern (`s3:GetBucket*`), case-insensitive as IAM is. */
const allows = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);

function readmePolicy(): { Version: string; Statement: Statement[] } {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const block = /<!-- example: deploy-policy -->\n```json\n([\s\S]*?)\n```/.exec(readme);
  if (block === null) throw new Error("README.md has no <!-- example: deploy-policy --> JSON block");
  return JSON.parse(block[1]!) as { Version: string; Statement: Statement[] };
}

describe("README: the IAM policy a deploying principal needs", () => {
  const policy = readmePolicy();
  const statements = policy.Statement;
  const actions = statements.flatMap((s) => asList(s.Action));
  // Every optional part on, so every resource type the stack can manage is synthesized.
  const managedTypes = Object.keys(synthStack({ homeRegion: "eu-west-1", watchRegions: ["eu-west-1", "eu-central-1"] }).resource ?? {}).sort();
  const isAllowed = (action: string): boolean => actions.some((pattern) => allows(pattern, action));

  it("knows every resource type the stack manages", () => {
    expect(managedTypes.filter((type) => TYPES[type] === undefined)).toEqual([]);
  });

  it("allows each managed type's create and delete actions", () => {
    const missing = managedTypes.flatMap((type) => TYPES[type]!.actions.map((a) => `${TYPES[type]!.service}:${a}`)).filter((a) => !isAllowed(a));
    expect(missing).toEqual([]);
  });

  it("allows the services of the managed types and no other (and Organizations, whose description the plan reads)", () => {
    const services = new Set(actions.map((a) => a.split(":")[0]));
    // data.aws_organizations_organization chooses the StackSets' call_as; the other data sources need no permission.
    expect([...services].sort()).toEqual([...new Set([...managedTypes.map((t) => TYPES[t]!.service), "organizations"])].sort());
  });

  it("allows emptying the log buckets for npm run destroy -- --empty-log-buckets", () => {
    expect(EMPTYING.filter((a) => !isAllowed(a))).toEqual([]);
  });

  it("is a valid, allow-only policy with no wildcard action", () => {
    expect(policy.Version).toBe("2012-10-17");
    expect(statements.every((s) => s.Effect === "Allow" && typeof s.Sid === "string")).toBe(true);
    expect(actions.filter((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
  });

  it("scopes every resource by name, except the actions that have no resource-level permissions", () => {
    for (const statement of statements) {
      const resources = asList(statement.Resource);
      if (resources.includes("*")) {
        expect(asList(statement.Action).filter((a) => !UNSCOPED.has(a)), statement.Sid).toEqual([]);
        continue;
      }
      for (const arn of resources) {
        // KMS keys have no name; everything else is named after application_name (default cloudtrail-alerting).
        // The organization statement on the default bus is the one resource not named after the deployment.
        expect(arn, statement.Sid).toMatch(/cloudtrail-alerting|^arn:aws:kms:\*:123456789012:key\/\*$|^arn:aws:events:us-east-1:123456789012:event-bus\/default$/);
      }
    }
  });
});
