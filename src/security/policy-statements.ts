import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/**
 * The TLS-only statement every resource policy here ends with: deny the
 * given actions to anyone when the request did not use TLS
 * (AWS Foundational Security Best Practices S3.5, SNS and SQS equivalents).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
 */
export function denyInsecureTransport(actions: string[], resources: string[]): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principals: [{ type: "*", identifiers: ["*"] }],
    actions,
    resources,
    condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
  };
}

/**
 * The first statement of every topic policy here: principals of this account
 * (subject to their own IAM permissions) may publish; no other account may.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 */
export function allowPublishFromThisAccount(partition: string, accountId: string, topicArn: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "AllowPublishFromThisAccountOnly",
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
    actions: ["sns:Publish"],
    resources: [topicArn],
  };
}
