/** IAM policy changes: Security Hub CloudWatch.4 / CIS 4.4. Shared by iam-privilege-escalation and cis-aws-foundations/iam-policy. */
export const IAM_POLICY_CHANGES = [
  "AttachUserPolicy",
  "AttachRolePolicy",
  "AttachGroupPolicy",
  "DetachUserPolicy",
  "DetachRolePolicy",
  "DetachGroupPolicy",
  "PutUserPolicy",
  "PutRolePolicy",
  "PutGroupPolicy",
  "DeleteUserPolicy",
  "DeleteRolePolicy",
  "DeleteGroupPolicy",
  "CreatePolicy",
  "DeletePolicy",
  "CreatePolicyVersion",
  "DeletePolicyVersion",
];
