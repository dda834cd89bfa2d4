import { apiCall } from "../pattern-builders";
import type { Preset } from "../types";

export const iamPersistence: Preset = {
  name: "iam-persistence",
  severity: "high",
  description: "New ways in: login profiles, access keys and other credentials, users, roles, group membership, trust policies",
  suppressible: true,
  references: [
    "Stratus aws.persistence.iam-create-admin-user / iam-create-user-login-profile / iam-backdoor-user / iam-backdoor-role",
    "Sigma aws_iam_backdoor_users_keys",
    "Panther AWS.IAM.BackdoorUserKeys",
    "Elastic 'AWS IAM User Addition to Group' / 'AWS IAM Login Profile Added to User'",
  ],
  parts: [
    {
      id: "",
      scope: "global",
      description: "IAM credential and principal creation",
      pattern: () =>
        apiCall("iam", [
          "CreateLoginProfile",
          "UpdateLoginProfile",
          "CreateAccessKey",
          "UpdateAccessKey",
          "CreateUser",
          "CreateRole",
          "AddUserToGroup",
          "UpdateAssumeRolePolicy",
          "CreateServiceSpecificCredential",
          "UploadSSHPublicKey",
          "UploadSigningCertificate",
          "AddRoleToInstanceProfile",
        ]),
    },
  ],
};
