/**
 * The monitoring-impact rules: for each resource type that carries a
 * monitoring or security setting, compare the prior state (`before`) with the
 * planned one (`after`) and say in plain words what gets weaker or stronger.
 *
 * Rules are keyed by Terraform resource TYPE and attribute names, never by
 * address, so they keep working when the stack gains or renames resources.
 * A value known only after apply is never reported as removed.
 *
 * This file is the index of rules by type; each area's rules live in
 * `rules/` (event rules, alert delivery, subscribers, trail, buckets,
 * encryption, queues, policies, alarms, organization coverage and the bus
 * permission), their shared wording in
 * `rules/rule.ts`, and what a finding is in `finding.ts`.
 */
import type { Finding, PlanContext } from "./finding";
import type { ResourceChange } from "./plan-json";
import { alarm } from "./rules/alarms";
import { invokeConfig, lambdaFunction, snsTopic } from "./rules/alert-delivery";
import { bucket, bucketEncryption, publicAccessBlock, versioning } from "./rules/buckets";
import { busPermission } from "./rules/bus-permission";
import { kmsKey } from "./rules/encryption";
import { eventRule, eventTarget } from "./rules/event-rules";
import { stackSet, stackSetInstance } from "./rules/organization";
import { policyAttachment, policyRule } from "./rules/policies";
import { sqsQueue } from "./rules/queues";
import type { Rule } from "./rules/rule";
import { subscription } from "./rules/subscribers";
import { logGroup, trail } from "./rules/trail";

const RULES: Readonly<Record<string, readonly Rule[]>> = {
  aws_cloudwatch_event_rule: [eventRule],
  aws_cloudwatch_event_target: [eventTarget],
  aws_lambda_function: [lambdaFunction],
  aws_lambda_function_event_invoke_config: [invokeConfig],
  aws_sns_topic: [snsTopic],
  aws_sns_topic_subscription: [subscription],
  aws_cloudtrail: [trail],
  aws_s3_bucket: [bucket],
  aws_s3_bucket_public_access_block: [publicAccessBlock],
  aws_s3_account_public_access_block: [publicAccessBlock],
  aws_s3_bucket_versioning: [versioning],
  aws_s3_bucket_server_side_encryption_configuration: [bucketEncryption],
  aws_sqs_queue: [sqsQueue],
  aws_kms_key: [kmsKey, policyRule],
  aws_cloudwatch_log_group: [logGroup],
  aws_s3_bucket_policy: [policyRule],
  aws_sns_topic_policy: [policyRule],
  aws_sqs_queue_policy: [policyRule],
  aws_iam_role: [policyRule],
  aws_iam_role_policy: [policyRule],
  aws_iam_policy: [policyRule],
  aws_iam_role_policy_attachment: [policyAttachment],
  aws_cloudwatch_metric_alarm: [alarm],
  aws_cloudformation_stack_set: [stackSet],
  aws_cloudformation_stack_set_instance: [stackSetInstance],
  aws_cloudwatch_event_permission: [busPermission],
};

/** The resource types the review understands (documented in the summary's footer). */
export const REVIEWED_TYPES: readonly string[] = Object.keys(RULES).sort();

export function findingsFor(rc: ResourceChange, ctx: PlanContext): Finding[] {
  if (rc.mode !== "managed") return [];
  return (RULES[rc.type] ?? []).flatMap((rule) => rule(rc, ctx));
}
