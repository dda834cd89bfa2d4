import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** What the trail's key admits besides the account: every statement scoped to this deployment. */
export interface TrailKeyScope {
  readonly partition: string;
  readonly accountId: string;
  /** The one trail CloudTrail may encrypt for (`aws:SourceArn`). */
  readonly trailArn: string;
  /** Region of the trail's optional CloudWatch Logs group (the home region). */
  readonly region: string;
  /** That group's ARN (encryption context of CloudWatch Logs). */
  readonly logGroupArn: string;
}

/**
 * The trail key's service statements: CloudTrail encrypts log and digest
 * files only for this trail, and describes the key for it; the account's
 * principals decrypt files only in CloudTrail's encryption context; CloudWatch
 * Logs encrypts only the trail's own group.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function trailKeyStatements(scope: TrailKeyScope): DataAwsIamPolicyDocumentStatement[] {
  const cloudTrail = [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }];
  const thisTrail = { test: "StringEquals", variable: "aws:SourceArn", values: [scope.trailArn] };
  const cloudTrailContext = {
    test: "StringLike",
    variable: "kms:EncryptionContext:aws:cloudtrail:arn",
    values: [`arn:${scope.partition}:cloudtrail:*:${scope.accountId}:trail/*`],
  };
  return [
    {
      sid: "CloudTrailEncryptsForThisTrailOnly",
      effect: "Allow",
      principals: cloudTrail,
      actions: ["kms:GenerateDataKey*"],
      resources: ["*"],
      condition: [thisTrail, cloudTrailContext],
    },
    {
      sid: "CloudTrailDescribesKeyForThisTrailOnly",
      effect: "Allow",
      principals: cloudTrail,
      actions: ["kms:DescribeKey"],
      resources: ["*"],
      condition: [thisTrail],
    },
    {
      sid: "AccountPrincipalsDecryptTrailLogs",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [`arn:${scope.partition}:iam::${scope.accountId}:root`] }],
      actions: ["kms:Decrypt", "kms:ReEncryptFrom"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "kms:CallerAccount", values: [scope.accountId] }, cloudTrailContext],
    },
    logsEncryptGroup("CloudWatchLogsEncryptsTrailLogGroup", scope.region, scope.logGroupArn),
  ];
}

export interface AlertKeyScope {
  readonly accountId: string;
  /** This deployment's alarms (`aws:SourceArn` pattern), which publish to the encrypted topic. */
  readonly alarmArnPattern: string;
  /** Region of the notifier's log group (the alerting region). */
  readonly region: string;
  readonly logGroupArn: string;
  /**
   * EventBridge rules that publish to the encrypted topic (the rule that emails the watched regions' alarms).
   * @default - none
   */
  readonly eventRuleArns?: string[];
}

/**
 * The alert key's service statements: this deployment's CloudWatch alarms may
 * publish to the topic it encrypts (the AWS managed SNS key would not let
 * them), and CloudWatch Logs encrypts only the notifier's group. The notifier
 * itself uses the key through its IAM role.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
export function alertKeyStatements(scope: AlertKeyScope): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "CloudWatchAlarmsPublishEncrypted",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
      condition: [
        { test: "ArnLike", variable: "aws:SourceArn", values: [scope.alarmArnPattern] },
        { test: "StringEquals", variable: "aws:SourceAccount", values: [scope.accountId] },
      ],
    },
    ...(scope.eventRuleArns !== undefined && scope.eventRuleArns.length > 0
      ? [
          {
            // EventBridge publishing to a topic encrypted with a customer-managed key:
            // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
            sid: "EventBridgeRulesPublishEncrypted",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
            actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
            resources: ["*"],
            condition: [
              { test: "ArnEquals", variable: "aws:SourceArn", values: scope.eventRuleArns },
              { test: "StringEquals", variable: "aws:SourceAccount", values: [scope.accountId] },
            ],
          },
        ]
      : []),
    logsEncryptGroup("CloudWatchLogsEncryptsNotifierLogs", scope.region, scope.logGroupArn),
  ];
}

/** CloudWatch Logs may use the key for one log group only (its ARN is the encryption context). */
function logsEncryptGroup(sid: string, region: string, logGroupArn: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
    actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
    resources: ["*"],
    condition: [{ test: "ArnEquals", variable: "kms:EncryptionContext:aws:logs:arn", values: [logGroupArn] }],
  };
}
