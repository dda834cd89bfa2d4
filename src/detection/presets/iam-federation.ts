import { apiCall } from "../pattern-builders";
import type { Preset } from "../types";

export const iamFederation: Preset = {
  name: "iam-federation",
  severity: "high",
  description: "SAML and OpenID Connect identity providers created, changed or deleted",
  suppressible: true,
  references: ["Sigma aws_iam_saml_provider_updated", "Panther AWS.IAM.SAMLProviderModified", "Elastic 'AWS IAM SAML Provider Updated'"],
  parts: [
    {
      id: "",
      scope: "global",
      description: "SAML and OIDC provider changes",
      pattern: () =>
        apiCall("iam", [
          "CreateSAMLProvider",
          "UpdateSAMLProvider",
          "DeleteSAMLProvider",
          "CreateOpenIDConnectProvider",
          "UpdateOpenIDConnectProviderThumbprint",
          "AddClientIDToOpenIDConnectProvider",
          "RemoveClientIDFromOpenIDConnectProvider",
          "DeleteOpenIDConnectProvider",
        ]),
    },
  ],
};
