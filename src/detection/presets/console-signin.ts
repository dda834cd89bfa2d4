import { signInWithoutMfa, failedSignIn } from "../pattern-builders";
import type { Preset } from "../types";

export const consoleSignin: Preset = {
  name: "console-signin",
  severity: "medium",
  description: "IAM-user console sign-in without MFA; failed console sign-ins",
  suppressible: false,
  references: [
    "Security Hub CloudWatch.3 / CIS 4.2 (no MFA), CloudWatch.6 / CIS 4.6 (failures)",
    "Sigma aws_console_login_without_mfa / aws_console_login_failure",
    "Panther AWS.Console.LoginWithoutMFA / AWS.Console.LoginFailed",
    "Elastic 'AWS Management Console Brute Force of Root User Identity'",
  ],
  parts: [
    {
      id: "no-mfa",
      scope: "regional",
      description: "Successful ConsoleLogin by an IAM user with MFAUsed = No",
      pattern: () => signInWithoutMfa(["No"]),
    },
    { id: "failed", scope: "regional", description: "ConsoleLogin that failed (any identity type)", pattern: failedSignIn },
  ],
};
