import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface EncryptionKeyProps {
  /**
   * Provider (region) to create the key in; KMS keys are regional.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /** `alias/<aliasName>` is created for the key. */
  readonly aliasName: string;
  readonly description: string;
  readonly accountId: string;
  readonly partition: string;
  /** What services may do with the key, each statement scoped by condition to this deployment. */
  readonly serviceStatements: DataAwsIamPolicyDocumentStatement[];
}

/**
 * A customer-managed KMS key with yearly automatic rotation.
 *
 * Key policy: the account keeps control of the key through IAM (AWS's
 * default "enable IAM policies" statement, without which a key can become
 * unmanageable), plus the service statements the caller passes, each
 * narrowed to this deployment by `aws:SourceArn`, encryption context or
 * `kms:ViaService`. No other account and no wildcard principal.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class EncryptionKey extends Construct {
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);

    const policy = new DataAwsIamPolicyDocument(this, "policy-document", {
      provider: props.provider,
      statement: [
        {
          sid: "AccountAdministersKeyThroughIam",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        ...props.serviceStatements,
      ],
    });

    this.key = new KmsKey(this, "key", {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
    });

    new KmsAlias(this, "alias", {
      provider: props.provider,
      name: `alias/${props.aliasName}`,
      targetKeyId: this.key.keyId,
    });
  }
}
