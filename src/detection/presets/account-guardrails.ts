import { apiCall } from "../pattern-builders";
import type { Preset } from "../types";

export const accountGuardrails: Preset = {
  name: "account-guardrails",
  severity: "high",
  description: "Account password policy deleted or changed; leaving the organization; organization policy changes",
  suppressible: false,
  references: [
    "Stratus aws.defense-evasion.organizations-leave",
    "Sigma aws_iam_delete_account_password_policy (Panther AWS.IAM.AccountPasswordPolicyModified)",
    "Elastic 'AWS Organizations Leave Organization' / 'AWS IAM Password Policy Changed'",
  ],
  parts: [
    {
      id: "iam",
      scope: "global",
      description: "DeleteAccountPasswordPolicy, UpdateAccountPasswordPolicy",
      pattern: () => apiCall("iam", ["DeleteAccountPasswordPolicy", "UpdateAccountPasswordPolicy"]),
    },
    {
      id: "organizations",
      scope: "global",
      description: "LeaveOrganization and organization policy (SCP, tag, backup policy) changes",
      pattern: () =>
        apiCall("organizations", [
          "LeaveOrganization",
          "CreatePolicy",
          "UpdatePolicy",
          "DeletePolicy",
          "AttachPolicy",
          "DetachPolicy",
          "EnablePolicyType",
          "DisablePolicyType",
        ]),
    },
  ],
};
