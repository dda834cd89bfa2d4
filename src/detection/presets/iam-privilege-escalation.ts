import { apiCall } from "../pattern-builders";
import { IAM_POLICY_CHANGES } from "./iam-policy-changes";
import type { Preset } from "../types";

export const iamPrivilegeEscalation: Preset = {
  name: "iam-privilege-escalation",
  severity: "high",
  description: "Policy changes on users, roles and groups, policy versions and default versions, permissions boundaries",
  suppressible: true,
  references: [
    "Security Hub CloudWatch.4 / CIS 4.4",
    "Stratus aws.privilege-escalation.iam-update-user-login-profile",
    "Sigma aws_iam_s3browser_templated_s3_bucket_policy_creation / aws_iam_policy_version",
    "Panther AWS.IAM.PolicyModified",
  ],
  parts: [
    {
      id: "",
      scope: "global",
      description: "IAM policy attachment, inline policy and version changes, permissions boundaries",
      pattern: () =>
        apiCall("iam", [
          ...IAM_POLICY_CHANGES,
          "SetDefaultPolicyVersion",
          "PutUserPermissionsBoundary",
          "PutRolePermissionsBoundary",
          "DeleteUserPermissionsBoundary",
          "DeleteRolePermissionsBoundary",
        ]),
    },
  ],
};
