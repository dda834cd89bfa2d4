import { apiCall } from "../pattern-builders";
import type { Preset } from "../types";

export const mfaTampering: Preset = {
  name: "mfa-tampering",
  severity: "high",
  description: "MFA devices created, enabled, resynchronised, deactivated or deleted",
  suppressible: true,
  references: ["Sigma aws_iam_mfa_deactivated (deactivation)", "Panther AWS.IAM.MFADisabled", "Elastic 'AWS IAM Deactivation of MFA Device'"],
  parts: [
    {
      id: "",
      scope: "global",
      description: "MFA device lifecycle",
      pattern: () =>
        apiCall("iam", ["CreateVirtualMFADevice", "EnableMFADevice", "ResyncMFADevice", "DeactivateMFADevice", "DeleteVirtualMFADevice"]),
    },
  ],
};
