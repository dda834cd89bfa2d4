import { Construct } from "constructs";
import { Fn, ITerraformDependable, Token } from "cdktf";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface AuditTrailProps {
  /** Trail name; the stack builds the trail ARN from it for policies that must exist before the trail. */
  readonly trailName: string;
  /** The trail's own ARN (built from its name), for the delivery role's trust condition. */
  readonly trailArn: string;
  /** Bucket the trail delivers to. */
  readonly bucketName: string;
  /** Customer-managed key that encrypts log and digest files (CIS 3.7). */
  readonly kmsKeyArn: string;
  /**
   * Whether to create the trail: `var.create_trail`, a Terraform bool. Off
   * only where an organization trail already records every covered account.
   * @default true
   */
  readonly create?: boolean;
  /** The bucket policy and key must exist first, or CloudTrail rejects the configuration. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Also deliver events to a CloudWatch Logs group (CIS 3.4), for metric
   * filters and Logs Insights. A Terraform boolean expression.
   */
  readonly cloudWatchLogs: {
    readonly enabled: boolean;
    readonly retentionDays: number;
    readonly kmsKeyArn: string;
    readonly logGroupName: string;
    /**
     * ARN of that group and of the delivery role, built from their names: the
     * resources are counted (0 or 1), and a name-built ARN never refers to an
     * instance that may not exist.
     */
    readonly logGroupArn: string;
    readonly roleArn: string;
    readonly roleName: string;
  };
}

/**
 * A multi-region trail with global service events, log file validation and
 * KMS encryption, optionally also delivering to CloudWatch Logs.
 *
 * EventBridge only receives "AWS API Call via CloudTrail" events while a
 * trail is logging management events:
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html
 * Read-only calls (Get/List/Describe) are not sent to EventBridge at all.
 */
export class AuditTrail extends Construct {
  public readonly trail: Cloudtrail;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);

    const { enabled } = props.cloudWatchLogs;
    const count = Token.asNumber(Fn.conditional(enabled, 1, 0));

    const logGroup = new CloudwatchLogGroup(this, "logs", {
      count,
      name: props.cloudWatchLogs.logGroupName,
      retentionInDays: props.cloudWatchLogs.retentionDays,
      kmsKeyId: props.cloudWatchLogs.kmsKeyArn,
    });

    const trust = new DataAwsIamPolicyDocument(this, "delivery-trust", {
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
          condition: [{ test: "StringEquals", variable: "aws:SourceArn", values: [props.trailArn] }],
        },
      ],
    });
    const role = new IamRole(this, "delivery-role", {
      count,
      name: props.cloudWatchLogs.roleName,
      description: "CloudTrail delivery to its CloudWatch Logs group",
      assumeRolePolicy: trust.json,
    });
    const permissions = new DataAwsIamPolicyDocument(this, "delivery-permissions", {
      statement: [
        {
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${props.cloudWatchLogs.logGroupArn}:log-stream:*`],
        },
      ],
    });
    const policy = new IamRolePolicy(this, "delivery-policy", {
      count,
      name: "cloudtrail-to-logs",
      role: props.cloudWatchLogs.roleName,
      policy: permissions.json,
      // The role is named, not referenced: without this, PutRolePolicy can run before CreateRole
      // (v0.1.0 failed its first apply with trail_cloudwatch_logs_enabled = true this way).
      dependsOn: [role],
    });

    // No SNS topic for log file delivery (Checkov CKV_AWS_252, deliberately not applied): CloudTrail's
    // optional notification is one message per delivered log file, and detection reads the events
    // themselves from EventBridge, so nothing would act on those messages.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/configure-sns-notifications-for-cloudtrail.html
    this.trail = new Cloudtrail(this, "trail", {
      count: props.create === undefined ? undefined : Token.asNumber(Fn.conditional(props.create, 1, 0)),
      name: props.trailName,
      s3BucketName: props.bucketName,
      kmsKeyId: props.kmsKeyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      eventSelector: [{ readWriteType: "All", includeManagementEvents: true }],
      cloudWatchLogsGroupArn: Token.asString(Fn.conditional(enabled, `${props.cloudWatchLogs.logGroupArn}:*`, Token.nullValue())),
      cloudWatchLogsRoleArn: Token.asString(Fn.conditional(enabled, props.cloudWatchLogs.roleArn, Token.nullValue())),
      // Counted resources: depending on them waits for every instance, none when delivery is off.
      dependsOn: [...props.dependsOn, logGroup, role, policy],
    });
  }
}
