import { Construct } from "constructs";
import { Composite } from "../shared/composite";
import type { DeploymentNaming } from "../config/naming";
import { EncryptionKey } from "../security/encryption-key";
import { trailKeyStatements } from "../security/key-policies";
import { AccessLogBucket } from "./access-log-bucket";
import { AuditTrail } from "./audit-trail";
import { LogBucket } from "./log-bucket";

export interface AuditLoggingProps {
  readonly naming: DeploymentNaming;
  /** Days log files (and access logs) are kept: `var.trail_log_retention_days`. */
  readonly retentionDays: number;
  /** Days the optional CloudWatch Logs copy is kept: `var.log_retention_days`. */
  readonly logRetentionDays: number;
  /** Whether the trail also delivers to CloudWatch Logs: `var.trail_cloudwatch_logs_enabled` (a Terraform bool). */
  readonly cloudWatchLogsEnabled: boolean;
  /** Whether to create the trail: `var.create_trail` (a Terraform bool). */
  readonly createTrail: boolean;
}

/**
 * The audit record, in the home region: a multi-region trail encrypted with
 * its own key, delivering to a locked-down log bucket whose server access
 * logs go to a second bucket.
 */
export class AuditLogging extends Composite {
  public readonly trailKey: EncryptionKey;
  public readonly accessLogBucket: AccessLogBucket;
  public readonly logBucket: LogBucket;
  public readonly trail: AuditTrail;

  constructor(scope: Construct, id: string, props: AuditLoggingProps) {
    super(scope, id);
    const { naming } = props;

    // The trail's ARN is needed by the bucket and key policies, which must exist before the trail.
    this.trailKey = new EncryptionKey(this, "trail-key", {
      aliasName: `${naming.name}-trail`,
      description: "Encrypts this deployment's CloudTrail log and digest files",
      accountId: naming.accountId,
      partition: naming.partition,
      serviceStatements: trailKeyStatements({
        partition: naming.partition,
        accountId: naming.accountId,
        trailArn: naming.trailArn,
        region: naming.homeRegion,
        logGroupArn: naming.trailLogGroupArn,
      }),
    });

    this.accessLogBucket = new AccessLogBucket(this, "access-log-bucket", {
      bucketName: naming.accessLogBucketName,
      retentionDays: props.retentionDays,
      accountId: naming.accountId,
      sourceBucketArn: `arn:${naming.partition}:s3:::${naming.logBucketName}`,
    });

    this.logBucket = new LogBucket(this, "log-bucket", {
      bucketName: naming.logBucketName,
      trailArn: naming.trailArn,
      accountId: naming.accountId,
      retentionDays: props.retentionDays,
      kmsKeyArn: this.trailKey.key.arn,
      accessLogBucket: this.accessLogBucket,
    });

    this.trail = new AuditTrail(this, "audit-trail", {
      trailName: naming.trailName,
      trailArn: naming.trailArn,
      create: props.createTrail,
      bucketName: this.logBucket.bucket.bucket,
      kmsKeyArn: this.trailKey.key.arn,
      dependsOn: [this.logBucket.policy, this.trailKey.key],
      cloudWatchLogs: {
        enabled: props.cloudWatchLogsEnabled,
        retentionDays: props.logRetentionDays,
        kmsKeyArn: this.trailKey.key.arn,
        logGroupName: naming.trailLogGroupName,
        logGroupArn: naming.trailLogGroupArn,
        roleName: `${naming.trailName}-to-logs`,
        roleArn: naming.arn("iam", "", `role/${naming.trailName}-to-logs`),
      },
    });
  }
}
