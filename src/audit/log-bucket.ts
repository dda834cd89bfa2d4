import { Construct } from "constructs";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { PrivateBucket } from "./private-bucket";

export interface LogBucketProps {
  /** Globally unique bucket name (the stack derives it from application_name, account and region). */
  readonly bucketName: string;
  /** ARN of the one trail allowed to write here; used as `aws:SourceArn` (confused-deputy protection). */
  readonly trailArn: string;
  /** Account whose logs land under `AWSLogs/<account>/`. */
  readonly accountId: string;
  /** Days before log objects (and their noncurrent versions) expire. */
  readonly retentionDays: number;
  /** Customer-managed key for default encryption (the trail's key). */
  readonly kmsKeyArn: string;
  /** Bucket that receives this bucket's server access logs (CIS 3.6). */
  readonly accessLogBucket: PrivateBucket;
}

/**
 * The S3 bucket CloudTrail delivers to: a {@link PrivateBucket} whose policy
 * lets only this trail write, encrypted with the trail's KMS key, with
 * server access logging to a separate bucket.
 *
 * Policy per https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 *
 * Deliberately without cross-region replication (Checkov CKV_AWS_144) and
 * event notifications (CKV2_AWS_62): the trail is multi-region and log file
 * validation proves integrity; replication would double storage cost for no
 * detection value, and nothing consumes object notifications.
 */
export class LogBucket extends PrivateBucket {
  constructor(scope: Construct, id: string, props: LogBucketProps) {
    const trailOnly = [{ test: "StringEquals", variable: "aws:SourceArn", values: [props.trailArn] }];
    const cloudTrail = [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }];
    super(scope, id, {
      bucketName: props.bucketName,
      retentionDays: props.retentionDays,
      kmsKeyArn: props.kmsKeyArn,
      grants: (bucketArn) => [
        {
          sid: "AWSCloudTrailAclCheck",
          effect: "Allow",
          principals: cloudTrail,
          actions: ["s3:GetBucketAcl"],
          resources: [bucketArn],
          condition: trailOnly,
        },
        {
          sid: "AWSCloudTrailWrite",
          effect: "Allow",
          principals: cloudTrail,
          actions: ["s3:PutObject"],
          resources: [`${bucketArn}/AWSLogs/${props.accountId}/*`],
          condition: [
            ...trailOnly,
            { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
          ],
        },
      ],
    });

    new S3BucketLoggingA(this, "access-logging", {
      bucket: this.bucket.id,
      targetBucket: props.accessLogBucket.bucket.bucket,
      targetPrefix: `${props.bucketName}/`,
      // S3 checks that the target's policy already admits the logging service.
      dependsOn: [props.accessLogBucket.policy],
    });
  }
}
