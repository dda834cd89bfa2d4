import { Construct } from "constructs";
import { denyInsecureTransport } from "../security/policy-statements";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface PrivateBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Days before objects (and their noncurrent versions) expire. */
  readonly retentionDays: number;
  /**
   * KMS key for default encryption (SSE-KMS with an S3 Bucket Key, which cuts KMS requests and cost).
   * @default - SSE-S3 (AES256); required where AWS only supports SSE-S3, such as server access log targets
   */
  readonly kmsKeyArn?: string;
  /**
   * Who may write, in addition to nobody. The bucket's ARN is needed to build
   * these, so they are produced from it.
   * @default - none
   */
  readonly grants?: (bucketArn: string) => DataAwsIamPolicyDocumentStatement[];
}

/**
 * An S3 bucket nobody can make public: all four public-access-block
 * settings, default encryption, versioning, ACLs disabled
 * (`BucketOwnerEnforced`), expiry plus cleanup of incomplete multipart
 * uploads, and a policy that denies any request without TLS on top of the
 * grants the caller passes.
 */
export class PrivateBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly policy: S3BucketPolicy;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      // Audit logs must not vanish with a careless `destroy`: emptying the bucket is a deliberate act.
      forceDestroy: false,
    });

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        props.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
              bucketKeyEnabled: true,
            },
      ],
    });

    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });

    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });

    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.retentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        ...(props.grants?.(this.bucket.arn) ?? []),
        denyInsecureTransport(["s3:*"], [this.bucket.arn, `${this.bucket.arn}/*`]),
      ],
    });

    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: document.json,
      // S3 rejects a bucket policy while the public access block is being changed.
      dependsOn: [this.publicAccessBlock],
    });
  }
}
