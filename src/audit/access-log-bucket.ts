import { Construct } from "constructs";
import { PrivateBucket } from "./private-bucket";

export interface AccessLogBucketProps {
  readonly bucketName: string;
  readonly retentionDays: number;
  readonly accountId: string;
  /** The bucket whose server access logs land here (`aws:SourceArn`). */
  readonly sourceBucketArn: string;
}

/**
 * Receives the log bucket's S3 server access logs, so that reads of the audit
 * logs are themselves recorded (CIS 3.6). A {@link PrivateBucket} encrypted
 * with SSE-S3, because S3 log delivery supports only SSE-S3 as the target's
 * default encryption ("Default server-side encryption with AWS KMS keys
 * (SSE-KMS) is not supported"), so Checkov CKV_AWS_145 (KMS by default) is
 * deliberately not applied here:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 * Only `logging.s3.amazonaws.com` may write, for the log bucket of this
 * account (`aws:SourceArn`, `aws:SourceAccount`), as that page's bucket
 * policy does.
 *
 * Checkov CKV_AWS_18 (access logging) is not applied to this bucket itself:
 * logging a log bucket into itself or a third bucket only moves the question.
 */
export class AccessLogBucket extends PrivateBucket {
  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id, {
      bucketName: props.bucketName,
      retentionDays: props.retentionDays,
      grants: (bucketArn) => [
        {
          sid: "S3ServerAccessLogsDelivery",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
          actions: ["s3:PutObject"],
          resources: [`${bucketArn}/*`],
          condition: [
            { test: "ArnLike", variable: "aws:SourceArn", values: [props.sourceBucketArn] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
          ],
        },
      ],
    });
  }
}
