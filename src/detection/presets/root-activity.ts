import { rootPattern } from "../pattern-builders";
import type { Preset } from "../types";

export const rootActivity: Preset = {
  name: "root-activity",
  severity: "critical",
  description: "Any API call or console sign-in by the root user, except calls AWS services make on its behalf",
  suppressible: false,
  references: [
    "Security Hub CloudWatch.1 / CIS 1.7, 4.3",
    "Panther AWS.CloudTrail.RootActivity",
    "Sigma aws_root_account_usage",
    "Elastic 'Deprecated - AWS Root Login Without MFA' / 'AWS Management Console Root Login'",
  ],
  parts: [{ id: "", scope: "regional", description: "Root API calls and sign-ins", pattern: rootPattern }],
};
