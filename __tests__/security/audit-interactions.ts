/**
 * The audit half: CloudTrail writing to its bucket, key and (optionally)
 * CloudWatch Logs, CloudWatch Logs encrypting the trail's group, and S3
 * delivering the log bucket's server access logs. Request shapes: the page
 * in each interaction's `docs`.
 */
import type { Request } from "./iam-simulation";
import { accountOf, attempts, elsewhere, OTHER_ACCOUNT, session, type Interaction, type Kit } from "./interaction-kit";
import type { Policy } from "./planned-policies";

export function auditInteractions(k: Kit): Interaction[] {
  const { planned: p, account: A, homeRegion: H } = k;
  const trail = p.arn(k.one("aws_cloudtrail"));
  const anotherTrail = trail.replace(/trail\/.*$/, "trail/another-trail");
  const foreignTrail = elsewhere(trail);
  const logBucket = p.arn("aws_s3_bucket.log_bucket_bucket");
  const bucketPolicy = p.policy("aws_s3_bucket_policy.log_bucket_policy", "policy");
  const trailKey = p.arn("aws_kms_key.trail_key_key");
  const trailKeyPolicy = p.policy("aws_kms_key.trail_key_key", "policy");
  const trailLogGroup = p.arn("aws_cloudwatch_log_group.audit_trail_logs[0]");
  const otherLogGroup = trailLogGroup.replace(/log-group:.*$/, "log-group:/aws/lambda/another-function");
  const deliveryRole = p.arn("aws_iam_role.audit_trail_delivery_role[0]");
  const deliveryTrust = p.policy("aws_iam_role.audit_trail_delivery_role[0]", "assume_role_policy");
  const deliveryPolicy = p.policy("aws_iam_role_policy.audit_trail_delivery_policy[0]", "policy");

  const source = (sourceArn: string): Record<string, string> => ({ "aws:SourceArn": sourceArn, "aws:SourceAccount": accountOf(sourceArn) });
  const acl = (sourceArn: string): Request => k.service("cloudtrail.amazonaws.com", "s3:GetBucketAcl", logBucket, bucketPolicy, source(sourceArn));
  // Log file keys: AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
  const logFile = (account: string): string =>
    `${logBucket}/AWSLogs/${account}/CloudTrail/${H}/2024/01/01/${account}_CloudTrail_${H}_20240101T0000Z_abcdEFGH12345678.json.gz`;
  const put = (sourceArn: string, context: Record<string, string> = { "s3:x-amz-acl": "bucket-owner-full-control" }): Request =>
    k.service("cloudtrail.amazonaws.com", "s3:PutObject", logFile(accountOf(sourceArn)), bucketPolicy, { ...source(sourceArn), ...context });
  const encrypt = (sourceArn: string): Request =>
    k.service("cloudtrail.amazonaws.com", "kms:GenerateDataKey", trailKey, trailKeyPolicy, {
      ...source(sourceArn),
      "kms:EncryptionContext:aws:cloudtrail:arn": sourceArn,
    });
  const describeKey = (sourceArn: string): Request =>
    k.service("cloudtrail.amazonaws.com", "kms:DescribeKey", trailKey, trailKeyPolicy, source(sourceArn));
  const assume = (sourceArn: string): Request =>
    k.service("cloudtrail.amazonaws.com", "sts:AssumeRole", deliveryRole, deliveryTrust, source(sourceArn));
  const stream = (group: string): string => `${group}:log-stream:${A}_CloudTrail_${H}`;
  const writeLogs = (roleArn: string, group: string): Request[] =>
    ["logs:CreateLogStream", "logs:PutLogEvents"].map((a) => k.asRole(session(roleArn, "CloudTrail"), a, stream(group), deliveryPolicy));
  const accessLogObject = `${p.arn("aws_s3_bucket.access_log_bucket_bucket")}/${logBucket.split(":::")[1]}/2024-01-01-00-00-00-0123456789ABCDEF`;
  const accessLogPolicy = p.policy("aws_s3_bucket_policy.access_log_bucket_policy", "policy");
  const accessLogs = (sourceBucket: string, account: string): Request =>
    k.service("logging.s3.amazonaws.com", "s3:PutObject", accessLogObject, accessLogPolicy, { "aws:SourceArn": sourceBucket, "aws:SourceAccount": account });

  return [
    {
      name: "CloudTrail → log bucket",
      request: "`s3:GetBucketAcl`, source ARN this trail",
      docs: "create-s3-bucket-policy-for-cloudtrail",
      allowed: attempts("this trail", [acl(trail)]),
      denied: [...attempts("another trail", [acl(anotherTrail)]), ...attempts("a trail in another account", [acl(foreignTrail)])],
    },
    {
      name: "CloudTrail → log bucket",
      request: "`s3:PutObject` under `AWSLogs/<account>/`, ACL `bucket-owner-full-control`, source ARN this trail",
      docs: "create-s3-bucket-policy-for-cloudtrail",
      allowed: attempts("this trail", [put(trail)]),
      denied: [
        ...attempts("another trail", [put(anotherTrail)]),
        ...attempts("a trail in another account", [put(foreignTrail)]),
        ...attempts("without the ACL", [put(trail, {})]),
        ...attempts("without TLS", [put(trail, { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "false" })]),
      ],
    },
    {
      name: "CloudTrail → trail key",
      request: "`kms:GenerateDataKey`, encryption context and source ARN this trail",
      docs: "create-kms-key-policy-for-cloudtrail",
      allowed: attempts("this trail", [encrypt(trail)]),
      denied: [...attempts("another trail", [encrypt(anotherTrail)]), ...attempts("a trail in another account", [encrypt(foreignTrail)])],
    },
    {
      name: "CloudTrail → trail key",
      request: "`kms:DescribeKey`, source ARN this trail",
      docs: "create-kms-key-policy-for-cloudtrail",
      allowed: attempts("this trail", [describeKey(trail)]),
      denied: [...attempts("another trail", [describeKey(anotherTrail)]), ...attempts("a trail in another account", [describeKey(foreignTrail)])],
    },
    {
      name: "CloudTrail → its CloudWatch Logs role",
      request: "`sts:AssumeRole`, source ARN this trail",
      docs: "cloudtrail-required-policy-for-cloudwatch-logs",
      allowed: attempts("this trail", [assume(trail)]),
      denied: [...attempts("another trail", [assume(anotherTrail)]), ...attempts("a trail in another account", [assume(foreignTrail)])],
    },
    {
      name: "CloudTrail's role → its log group",
      request: "`logs:CreateLogStream`, `logs:PutLogEvents`",
      docs: "cloudtrail-required-policy-for-cloudwatch-logs",
      allowed: attempts("its group", writeLogs(deliveryRole, trailLogGroup)),
      denied: [
        ...attempts("another log group", writeLogs(deliveryRole, otherLogGroup)),
        ...attempts("a role in another account", writeLogs(elsewhere(deliveryRole), trailLogGroup)),
      ],
    },
    logsEncrypt(k, "trail key", "aws_kms_key.trail_key_key", "aws_cloudwatch_log_group.audit_trail_logs[0]"),
    {
      name: "S3 log delivery → access-log bucket",
      request: "`s3:PutObject`, source the log bucket and this account",
      docs: "enable-server-access-logging",
      allowed: attempts("the log bucket", [accessLogs(logBucket, A)]),
      denied: [
        ...attempts("another bucket", [accessLogs(logBucket.replace(/:::.*$/, ":::another-bucket"), A)]),
        ...attempts("another account", [accessLogs(logBucket, OTHER_ACCOUNT)]),
      ],
    },
  ];
}

/**
 * CloudWatch Logs encrypting a log group with a key: the group's ARN is the
 * encryption context (`aws:logs:arn`), and the principal is the regional
 * `logs.<region>.amazonaws.com`.
 */
export function logsEncrypt(k: Kit, keyName: string, keyAddress: string, groupAddress: string): Interaction {
  const { planned: p } = k;
  const key = p.arn(keyAddress);
  const keyPolicy: Policy = p.policy(keyAddress, "policy");
  const group = p.arn(groupAddress);
  const region = group.split(":")[3]!;
  const requests = (groupArn: string): Request[] =>
    ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"].map((action) =>
      k.service(`logs.${region}.amazonaws.com`, action, key, keyPolicy, { "kms:EncryptionContext:aws:logs:arn": groupArn }),
    );
  return {
    name: `CloudWatch Logs → ${keyName}`,
    request: `\`kms:GenerateDataKey\`, \`Encrypt\`, \`Decrypt\`, encryption context \`${group.split("log-group:")[1]}\``,
    docs: "encrypt-log-data-kms",
    allowed: attempts("its group", requests(group)),
    denied: [
      ...attempts("another log group", requests(group.replace(/log-group:.*$/, "log-group:another-group")).slice(0, 1)),
      ...attempts("a group in another account", requests(elsewhere(group)).slice(0, 1)),
    ],
  };
}
