import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";

export interface AuditTrailProps {
  /** Trail name; the stack builds the trail ARN from it for the bucket policy before the trail exists. */
  readonly trailName: string;
  /** Bucket the trail delivers to. */
  readonly bucketName: string;
  /** The bucket policy must exist first, or CloudTrail rejects the bucket as unwritable. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * A multi-region trail with global service events and log file validation.
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

    this.trail = new Cloudtrail(this, "trail", {
      name: props.trailName,
      s3BucketName: props.bucketName,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      eventSelector: [{ readWriteType: "All", includeManagementEvents: true }],
      dependsOn: props.dependsOn,
    });
  }
}
