/**
 * Detection presets: named sets of EventBridge patterns over CloudTrail
 * events, each with a severity, the region where AWS records its events, and
 * the public detection content it corresponds to.
 *
 * Data only: no constructs here. The stack turns the catalog into a Terraform
 * local and creates one rule per enabled part with `for_each`, so enabling a
 * preset is a tfvars change (`alert_presets`), resolved at plan time.
 *
 * Patterns follow https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * and the CloudTrail event shape https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html.
 * Read-only calls (Get/List/Describe) never reach EventBridge, so no pattern asks for them.
 */

/** detail-types CloudTrail uses on EventBridge: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html */
export const API_CALL = "AWS API Call via CloudTrail";
export const CONSOLE_SIGN_IN = "AWS Console Sign In via CloudTrail";

export type Severity = "critical" | "high" | "medium";

/**
 * Where AWS records the events of a part:
 * - "global": only in us-east-1 (IAM, Organizations, and this deployment's
 *   own rules, function and topic, which live there). Never duplicated elsewhere.
 * - "regional": in the region of the resource or of the call (CloudTrail, S3,
 *   KMS, EC2, Config, root API calls, console sign-in through a regional
 *   endpoint). Matched in us-east-1 for us-east-1 and, through forwarding
 *   rules, for every other watched region.
 */
export type Scope = "global" | "regional";

/** This deployment's resource names, as Terraform expressions (tokens) or, in tests, plain strings. */
export interface DeploymentNames {
  /** `application_name`: rule names start with `<namePrefix>-`. */
  readonly namePrefix: string;
  readonly trailName: string;
  readonly logBucketName: string;
  readonly accessLogBucketName: string;
  readonly functionName: string;
  /** Built from the name (not the resource attribute) so the pattern is known at plan time. */
  readonly topicArn: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventPattern = Record<string, any>;

export interface PresetPart {
  /** Part id inside the preset; empty for a preset with a single part. */
  readonly id: string;
  readonly scope: Scope;
  readonly description: string;
  readonly pattern: (names: DeploymentNames) => EventPattern;
}

export interface Preset {
  readonly name: string;
  readonly severity: Severity;
  readonly description: string;
  /**
   * Whether `ignored_principal_arns` applies. Never for root activity and
   * tampering with the monitoring: the principal most worth hiding is the one
   * that switches the monitoring off.
   */
  readonly suppressible: boolean;
  /** Public detection content this preset corresponds to. */
  readonly references: readonly string[];
  readonly parts: readonly PresetPart[];
}

/** The label the rule on the user's own `iam_events` carries into its alerts. */
export const IAM_EVENTS_LABEL = { preset: "iam-events", severity: "high" as Severity };

/** A CloudTrail API-call pattern on one service. */
function apiCall(service: string, eventNames: readonly (string | EventPattern)[], detail: EventPattern = {}): EventPattern {
  return {
    source: [`aws.${service}`],
    "detail-type": [API_CALL],
    detail: { eventSource: [`${service}.amazonaws.com`], eventName: [...eventNames], ...detail },
  };
}

/** "Exactly this name, or an ARN that ends with it" (APIs that take a name or an ARN). */
const nameOrArn = (name: string, arnSuffix: string): (string | EventPattern)[] => [name, { suffix: arnSuffix }];

/**
 * Any use of the root user, except what AWS services do on its behalf:
 * CIS CloudWatch.1's filter, `userIdentity.type = Root`, `invokedBy` absent,
 * `eventType` not AwsServiceEvent. One deliberate difference: calls the
 * console makes for a signed-in root (`invokedBy: signin.amazonaws.com`)
 * are a person at the console, so they still alert.
 */
const rootPattern = (): EventPattern => ({
  "detail-type": [API_CALL, CONSOLE_SIGN_IN],
  detail: {
    userIdentity: {
      type: ["Root"],
      $or: [{ invokedBy: [{ exists: false }] }, { invokedBy: ["signin.amazonaws.com"] }],
    },
    eventType: [{ "anything-but": "AwsServiceEvent" }],
  },
});

/** A successful IAM-user console sign-in without MFA. IAM Identity Center and federated sign-ins are AssumedRole/SAMLUser/... and MFA is the IdP's business. */
const signInWithoutMfa = (mfaUsed: (string | EventPattern)[]): EventPattern => ({
  source: ["aws.signin"],
  "detail-type": [CONSOLE_SIGN_IN],
  detail: {
    eventSource: ["signin.amazonaws.com"],
    eventName: ["ConsoleLogin"],
    userIdentity: { type: ["IAMUser"] },
    additionalEventData: { MFAUsed: mfaUsed },
    responseElements: { ConsoleLogin: ["Success"] },
  },
});

const failedSignIn = (): EventPattern => ({
  source: ["aws.signin"],
  "detail-type": [CONSOLE_SIGN_IN],
  detail: {
    eventSource: ["signin.amazonaws.com"],
    eventName: ["ConsoleLogin"],
    responseElements: { ConsoleLogin: ["Failure"] },
  },
});

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

export const PRESETS: readonly Preset[] = [
  {
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
  },
  {
    name: "monitoring-tamper",
    severity: "critical",
    description: "Changes to this deployment's own trail, log buckets, rules, function and topic",
    suppressible: false,
    references: [
      "Security Hub CloudWatch.5 (narrowed to this trail)",
      "Stratus aws.defense-evasion.cloudtrail-stop / cloudtrail-delete / cloudtrail-event-selectors / cloudtrail-lifecycle-rule",
      "Sigma aws_cloudtrail_disable_logging",
      "Elastic 'AWS CloudTrail Log Deleted' / 'AWS CloudTrail Log Suspended' / 'AWS EventBridge Rule Disabled or Deleted'",
    ],
    parts: [
      {
        id: "cloudtrail",
        scope: "regional",
        description: "StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors, PutInsightSelectors on this trail (name or ARN)",
        // StopLogging/DeleteTrail/UpdateTrail record `name`; Put*Selectors record `trailName`.
        pattern: (n) =>
          apiCall("cloudtrail", ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"], {
            $or: [
              { requestParameters: { name: nameOrArn(n.trailName, `:trail/${n.trailName}`) } },
              { requestParameters: { trailName: nameOrArn(n.trailName, `:trail/${n.trailName}`) } },
            ],
          }),
      },
      {
        id: "s3",
        scope: "regional",
        description: "Policy, lifecycle, versioning changes and deletion of the log bucket and its access-log bucket",
        pattern: (n) =>
          apiCall("s3", ["PutBucketPolicy", "DeleteBucketPolicy", "PutBucketLifecycle", "PutBucketVersioning", "DeleteBucket"], {
            requestParameters: { bucketName: [n.logBucketName, n.accessLogBucketName] },
          }),
      },
      {
        id: "events",
        scope: "global",
        description: "DisableRule, DeleteRule, RemoveTargets, PutRule on this deployment's rules (name prefix)",
        // PutRule/DisableRule/DeleteRule record `name`; RemoveTargets records `rule`.
        pattern: (n) =>
          apiCall("events", ["DisableRule", "DeleteRule", "RemoveTargets", "PutRule"], {
            $or: [
              { requestParameters: { name: [{ prefix: `${n.namePrefix}-` }] } },
              { requestParameters: { rule: [{ prefix: `${n.namePrefix}-` }] } },
            ],
          }),
      },
      {
        id: "lambda",
        scope: "global",
        description:
          "Code, configuration, concurrency, permission and invoke-config changes and deletion of the notifier function",
        // CloudTrail records Lambda actions with an API-version suffix (UpdateFunctionCode20150331v2), hence prefixes.
        // PutFunctionConcurrency (0 stops every invocation) and RemovePermission (EventBridge can no longer invoke)
        // silence the notifier as surely as deleting it.
        pattern: (n) =>
          apiCall(
            "lambda",
            ["UpdateFunctionCode", "UpdateFunctionConfiguration", "DeleteFunction", "PutFunctionEventInvokeConfig", "PutFunctionConcurrency", "RemovePermission"].map(
              (prefix) => ({ prefix }),
            ),
            { requestParameters: { functionName: nameOrArn(n.functionName, `:function:${n.functionName}`) } },
          ),
      },
      {
        id: "sns",
        scope: "global",
        description: "DeleteTopic, SetTopicAttributes on the alert topic; Unsubscribe from it",
        pattern: (n) =>
          apiCall("sns", ["DeleteTopic", "SetTopicAttributes", "Unsubscribe"], {
            $or: [
              { requestParameters: { topicArn: [n.topicArn] } },
              { requestParameters: { subscriptionArn: [{ prefix: `${n.topicArn}:` }] } },
            ],
          }),
      },
    ],
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
];

export const PRESET_NAMES: readonly string[] = PRESETS.map((p) => p.name);

export const DEFAULT_ALERT_PRESETS: readonly string[] = ["root-activity", "monitoring-tamper"];

/** Key of one rule: `<preset>` or `<preset>/<part>`; also the `for_each` key of its resources. */
export function ruleKey(preset: Preset, part: PresetPart): string {
  return part.id === "" ? preset.name : `${preset.name}/${part.id}`;
}

/** Rule name suffix for a key: `/` is not allowed in rule names. */
export function ruleSuffix(key: string): string {
  return key.replace("/", "-");
}

/**
 * Longest suffix a rule name may have: rule names are at most 64 characters
 * and `application_name` at most 28, plus the joining `-`.
 */
export const MAX_RULE_SUFFIX = 64 - 28 - 1;

export interface PresetRule {
  readonly key: string;
  readonly preset: Preset;
  readonly part: PresetPart;
}

/** Every (preset, part) pair, in catalog order. */
export function presetRules(): PresetRule[] {
  return PRESETS.flatMap((preset) => preset.parts.map((part) => ({ key: ruleKey(preset, part), preset, part })));
}

/**
 * The detail keys that keep a suppressible rule from alerting on the listed
 * principals: an IAM user or role ARN in `userIdentity.arn`, or, for
 * assumed-role sessions (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, a
 * new session name each time), the role ARN in
 * `userIdentity.sessionContext.sessionIssuer.arn`.
 *
 * `anything-but` does not match an absent field, so each test is paired with
 * `exists: false` in an `$or`: an event without that field (an AWSService
 * identity has no `arn`; an IAM user has no session issuer) is not dropped.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function suppressionDetail(ignoredPrincipalArns: string[] | string): EventPattern {
  const notIgnored = (field: string): EventPattern[] => [
    { [field]: [{ "anything-but": ignoredPrincipalArns }] },
    { [field]: [{ exists: false }] },
  ];
  return {
    userIdentity: {
      $or: notIgnored("arn"),
      sessionContext: { sessionIssuer: { $or: notIgnored("arn") } },
    },
  };
}

/**
 * A rule's pattern with suppression applied (plain values; what the
 * Terraform expression evaluates to). Used by tests to state the expected
 * planned pattern; the stack builds the same through HCL.
 */
export function resolvedPattern(rule: PresetRule, names: DeploymentNames, ignoredPrincipalArns: string[]): EventPattern {
  const pattern = rule.part.pattern(names);
  if (!rule.preset.suppressible || ignoredPrincipalArns.length === 0) return pattern;
  return { ...pattern, detail: mergeDetail(pattern.detail ?? {}, suppressionDetail(ignoredPrincipalArns)) };
}

/** Shallow merge, as Terraform's `merge()` does. */
function mergeDetail(a: EventPattern, b: EventPattern): EventPattern {
  return { ...a, ...b };
}

/**
 * The one pattern a watched region forwards to the alerting region: a
 * top-level `$or` that covers every regional part, coarsely (by source,
 * detail-type and event name, without this deployment's names or the
 * presets' finer conditions), so that the rules in the alerting region do
 * the precise matching. One rule per region, because a rule delivers a
 * matching event once however many branches match: with one forwarding rule
 * per part, an event two parts share (root calling StopLogging on this trail)
 * would reach the alerting region twice and alert twice per rule.
 * Parts without a single source and event-name list (root activity,
 * unauthorized calls) are included as they are.
 */
export function forwardingPattern(): EventPattern {
  interface Group {
    source: string;
    detailType: string[];
    names: (string | EventPattern)[];
  }
  const bySource = new Map<string, Group>();
  const others: EventPattern[] = [];
  for (const { part } of presetRules().filter((r) => r.part.scope === "regional")) {
    const pattern = part.pattern(FORWARDING_NAMES);
    const sources = pattern.source as string[] | undefined;
    const names = pattern.detail?.eventName as (string | EventPattern)[] | undefined;
    if (sources?.length === 1 && names !== undefined) {
      const key = `${sources[0]} ${JSON.stringify(pattern["detail-type"])}`;
      const group: Group = bySource.get(key) ?? { source: sources[0]!, detailType: pattern["detail-type"], names: [] };
      for (const name of names) if (!group.names.some((n) => JSON.stringify(n) === JSON.stringify(name))) group.names.push(name);
      bySource.set(key, group);
    } else if (!others.some((o) => JSON.stringify(o) === JSON.stringify(pattern))) {
      others.push(pattern);
    }
  }
  return {
    $or: [
      ...[...bySource.values()].map((g) => ({
        source: [g.source],
        "detail-type": g.detailType,
        detail: { eventName: FORWARDED_NAME_WILDCARDS[g.source]?.map((wildcard) => ({ wildcard })) ?? g.names },
      })),
      ...others,
    ],
  };
}

/**
 * Event names forwarded by wildcard, to keep the forwarding pattern under
 * EventBridge's default 2048-character pattern quota: CIS CloudWatch.10-14's
 * 36 EC2 names all contain one of these words. Coarser on purpose (the
 * alerting region's rules match the exact names); a unit test checks that
 * every name a regional part asks for is covered.
 */
export const FORWARDED_NAME_WILDCARDS: Readonly<Record<string, readonly string[]>> = {
  "aws.ec2": ["*SecurityGroup*", "*NetworkAcl*", "*Gateway*", "*Route*", "*Vpc*"],
};

/** Placeholder names: the forwarding pattern does not use them (it keeps only source, detail-type and event names). */
const FORWARDING_NAMES: DeploymentNames = {
  namePrefix: "-",
  trailName: "-",
  logBucketName: "-",
  accessLogBucketName: "-",
  functionName: "-",
  topicArn: "-",
};
