import { ANY_AWS_SOURCE, apiCall, rootPattern, signInWithoutMfa, failedSignIn } from "../pattern-builders";
import { IAM_POLICY_CHANGES } from "./iam-policy-changes";
import { API_CALL, type Preset } from "../types";

export const cisAwsFoundations: Preset = {
  name: "cis-aws-foundations",
  severity: "medium",
  description: "The event sets behind Security Hub CloudWatch.1-14 (CIS AWS Foundations 1.2/1.4 section 4), as EventBridge patterns",
  suppressible: false,
  references: ["Security Hub CloudWatch.1-14", "CIS AWS Foundations Benchmark v1.2 3.1-3.14 / v1.4 4.1-4.14"],
  parts: [
    { id: "root", scope: "regional", description: "CloudWatch.1: root user usage", pattern: rootPattern },
    {
      id: "unauthorized",
      scope: "regional",
      description: "CloudWatch.2: unauthorized API calls (errorCode *UnauthorizedOperation or AccessDenied*)",
      pattern: () => ({
        source: [...ANY_AWS_SOURCE],
        "detail-type": [API_CALL],
        detail: { errorCode: [{ suffix: "UnauthorizedOperation" }, { prefix: "AccessDenied" }] },
      }),
    },
    {
      id: "signin-no-mfa",
      scope: "regional",
      description: "CloudWatch.3: console sign-in without MFA (MFAUsed not Yes)",
      pattern: () => signInWithoutMfa([{ "anything-but": "Yes" }]),
    },
    { id: "iam-policy", scope: "global", description: "CloudWatch.4: IAM policy changes", pattern: () => apiCall("iam", IAM_POLICY_CHANGES) },
    {
      id: "cloudtrail",
      scope: "regional",
      description: "CloudWatch.5: CloudTrail configuration changes (any trail)",
      pattern: () => apiCall("cloudtrail", ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]),
    },
    { id: "signin-failure", scope: "regional", description: "CloudWatch.6: console authentication failures", pattern: failedSignIn },
    {
      id: "kms",
      scope: "regional",
      description: "CloudWatch.7: customer managed keys disabled or scheduled for deletion",
      pattern: () => apiCall("kms", ["DisableKey", "ScheduleKeyDeletion"]),
    },
    {
      id: "s3-policy",
      scope: "regional",
      description: "CloudWatch.8: S3 bucket policy changes (any bucket)",
      pattern: () =>
        apiCall("s3", [
          "PutBucketAcl",
          "PutBucketPolicy",
          "PutBucketCors",
          "PutBucketLifecycle",
          "PutBucketReplication",
          "DeleteBucketPolicy",
          "DeleteBucketCors",
          "DeleteBucketLifecycle",
          "DeleteBucketReplication",
        ]),
    },
    {
      id: "config",
      scope: "regional",
      description: "CloudWatch.9: AWS Config configuration changes",
      pattern: () =>
        apiCall("config", ["StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"]),
    },
    {
      id: "ec2-network",
      scope: "regional",
      description:
        "CloudWatch.10-14: security group, network ACL, network gateway, route table and VPC changes",
      pattern: () =>
        apiCall("ec2", [
          // CloudWatch.10 security groups
          "AuthorizeSecurityGroupIngress",
          "AuthorizeSecurityGroupEgress",
          "RevokeSecurityGroupIngress",
          "RevokeSecurityGroupEgress",
          "CreateSecurityGroup",
          "DeleteSecurityGroup",
          // CloudWatch.11 network ACLs
          "CreateNetworkAcl",
          "CreateNetworkAclEntry",
          "DeleteNetworkAcl",
          "DeleteNetworkAclEntry",
          "ReplaceNetworkAclEntry",
          "ReplaceNetworkAclAssociation",
          // CloudWatch.12 network gateways
          "CreateCustomerGateway",
          "DeleteCustomerGateway",
          "AttachInternetGateway",
          "CreateInternetGateway",
          "DeleteInternetGateway",
          "DetachInternetGateway",
          // CloudWatch.13 route tables
          "CreateRoute",
          "CreateRouteTable",
          "ReplaceRoute",
          "ReplaceRouteTableAssociation",
          "DeleteRouteTable",
          "DeleteRoute",
          "DisassociateRouteTable",
          // CloudWatch.14 VPCs
          "CreateVpc",
          "DeleteVpc",
          "ModifyVpcAttribute",
          "AcceptVpcPeeringConnection",
          "CreateVpcPeeringConnection",
          "DeleteVpcPeeringConnection",
          "RejectVpcPeeringConnection",
          "AttachClassicLinkVpc",
          "DetachClassicLinkVpc",
          "DisableVpcClassicLink",
          "EnableVpcClassicLink",
        ]),
    },
  ],
};
