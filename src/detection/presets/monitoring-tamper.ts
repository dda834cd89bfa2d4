import { apiCall, nameOrArn } from "../pattern-builders";
import type { Preset } from "../types";

export const monitoringTamper: Preset = {
  name: "monitoring-tamper",
  severity: "critical",
  description: "Changes to this deployment's own trail, log buckets, rules, roles, stacks, function and topic, in any account it covers",
  suppressible: false,
  references: [
    "Security Hub CloudWatch.5 (narrowed to this trail)",
    "Stratus aws.defense-evasion.cloudtrail-stop / cloudtrail-delete / cloudtrail-event-selectors / cloudtrail-lifecycle-rule",
    "Sigma aws_cloudtrail_disable_logging",
    "Elastic 'AWS CloudTrail Log Deleted' / 'AWS CloudTrail Log Suspended' / 'AWS EventBridge Rule Disabled or Deleted'",
  ],
  parts: [
    {
      id: "cloudtrail",
      scope: "regional",
      description: "StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors, PutInsightSelectors on this trail (name or ARN)",
      // StopLogging/DeleteTrail/UpdateTrail record `name`; Put*Selectors record `trailName`.
      pattern: (n) =>
        apiCall("cloudtrail", ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"], {
          $or: [
            { requestParameters: { name: nameOrArn(n.trailName, `:trail/${n.trailName}`) } },
            { requestParameters: { trailName: nameOrArn(n.trailName, `:trail/${n.trailName}`) } },
          ],
        }),
    },
    {
      id: "s3",
      scope: "regional",
      description: "Policy, lifecycle, versioning changes and deletion of the log bucket and its access-log bucket",
      pattern: (n) =>
        apiCall("s3", ["PutBucketPolicy", "DeleteBucketPolicy", "PutBucketLifecycle", "PutBucketVersioning", "DeleteBucket"], {
          requestParameters: { bucketName: [n.logBucketName, n.accessLogBucketName] },
        }),
    },
    {
      id: "events",
      scope: "global",
      description: "DisableRule, DeleteRule, RemoveTargets, PutRule on this deployment's rules (name prefix)",
      // PutRule/DisableRule/DeleteRule record `name`; RemoveTargets records `rule`.
      pattern: (n) =>
        apiCall("events", ["DisableRule", "DeleteRule", "RemoveTargets", "PutRule"], {
          $or: [
            { requestParameters: { name: [{ prefix: `${n.namePrefix}-` }] } },
            { requestParameters: { rule: [{ prefix: `${n.namePrefix}-` }] } },
          ],
        }),
    },
    {
      id: "lambda",
      scope: "global",
      description:
        "Code, configuration, concurrency, permission and invoke-config changes and deletion of the notifier function",
      // CloudTrail records Lambda actions with an API-version suffix (UpdateFunctionCode20150331v2), hence prefixes.
      // PutFunctionConcurrency (0 stops every invocation) and RemovePermission (EventBridge can no longer invoke)
      // silence the notifier as surely as deleting it.
      pattern: (n) =>
        apiCall(
          "lambda",
          ["UpdateFunctionCode", "UpdateFunctionConfiguration", "DeleteFunction", "PutFunctionEventInvokeConfig", "PutFunctionConcurrency", "RemovePermission"].map(
            (prefix) => ({ prefix }),
          ),
          { requestParameters: { functionName: nameOrArn(n.functionName, `:function:${n.functionName}`) } },
        ),
    },
    {
      id: "sns",
      scope: "global",
      description: "DeleteTopic, SetTopicAttributes on the alert topic; Unsubscribe from it",
      pattern: (n) =>
        apiCall("sns", ["DeleteTopic", "SetTopicAttributes", "Unsubscribe"], {
          $or: [
            { requestParameters: { topicArn: [n.topicArn] } },
            { requestParameters: { subscriptionArn: [{ prefix: `${n.topicArn}:` }] } },
          ],
        }),
    },
    {
      id: "iam",
      scope: "global",
      description: "Deletion, policy and trust changes of this deployment's roles (name prefix), in this account or a member account",
      pattern: (n) =>
        apiCall(
          "iam",
          ["DeleteRole", "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary"],
          { requestParameters: { roleName: [{ prefix: `${n.namePrefix}-` }] } },
        ),
    },
    {
      id: "cloudformation",
      scope: "regional",
      description: "Deletion or update of the stacks this deployment's StackSets create (organization members, extra regions)",
      // Stacks a StackSet creates are named StackSet-<stack set name>-<id>:
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html
      pattern: (n) =>
        apiCall("cloudformation", ["DeleteStack", "UpdateStack", "UpdateTerminationProtection"], {
          requestParameters: { stackName: [{ prefix: `StackSet-${n.namePrefix}-` }, { wildcard: `arn:*:cloudformation:*:stack/StackSet-${n.namePrefix}-*` }] },
        }),
    },
  ],
};
