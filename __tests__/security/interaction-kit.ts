/**
 * The vocabulary of the simulated interactions: what one is, where AWS
 * documents its request shape, and builders for service-principal and role
 * requests against this deployment's resources.
 */
import type { Decision, Request } from "./iam-simulation";
import type { PlannedPolicies, Policy } from "./planned-policies";

/** The AWS page each request is shaped after. */
export const DOCS = {
  "create-s3-bucket-policy-for-cloudtrail": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
  "create-kms-key-policy-for-cloudtrail": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
  "cloudtrail-required-policy-for-cloudwatch-logs": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
  "encrypt-log-data-kms": "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
  "enable-server-access-logging": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
  "eb-use-resource-based": "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html",
  "eb-rule-dlq": "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html",
  "sns-key-management": "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
  "invocation-async-retain-records": "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
  "eb-cross-region": "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html",
  "eb-event-bus-perms": "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html",
} as const;

/** Any account that is not this deployment's. */
export const OTHER_ACCOUNT = "999988887777";

export interface Attempt {
  readonly label: string;
  readonly request: Request;
}

export interface Interaction {
  /** `who → what`, as the README table shows it. */
  readonly name: string;
  /** Action(s) and the context that scopes them. */
  readonly request: string;
  readonly docs: keyof typeof DOCS;
  /** Each must be allowed (one per rule or alarm where there are several). */
  readonly allowed: readonly Attempt[];
  /** Each must be denied. */
  readonly denied: readonly Attempt[];
}

export interface Outcome {
  readonly interaction: Interaction;
  readonly allowed: readonly Decision[];
  readonly denied: readonly Decision[];
}

/** The same ARN in another account. */
export const elsewhere = (arn: string): string => arn.replace(/^(arn:[^:]*:[^:]*:[^:]*:)\d{12}:/, `$1${OTHER_ACCOUNT}:`);

/** The account of an ARN. */
export const accountOf = (arn: string): string => arn.split(":")[4]!;

/** A session of a role, as the principal of its requests. */
export const session = (roleArn: string, name: string): string =>
  `${roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/${name}`;

export const attempts = (label: string, requests: readonly Request[]): Attempt[] => requests.map((request) => ({ label, request }));

export interface Kit {
  readonly planned: PlannedPolicies;
  readonly account: string;
  readonly homeRegion: string;
  /** The address of the one planned resource of a type. */
  one(type: string): string;
  /** A service principal's request, decided by the resource's policy alone (services have no identity policy). */
  service(principal: string, action: string, resource: string, resourcePolicy: Policy, context: Record<string, string>): Request;
  /** A role session's request over TLS: its identity policy, and the resource's policy if the resource has one. */
  asRole(principal: string, action: string, resource: string, identity: Policy, resourcePolicy?: Policy, context?: Record<string, string>): Request;
}

export function kit(planned: PlannedPolicies): Kit {
  const account = planned.account;
  return {
    planned,
    account,
    homeRegion: planned.homeRegion,
    one: (type) => {
      const found = planned.instances(type);
      if (found.length !== 1) throw new Error(`expected one planned ${type}, found ${found.length}`);
      return found[0]!.address;
    },
    service: (principal, action, resource, resourcePolicy, context) => ({ principal, action, resource, resourceAccount: account, resourcePolicy, context }),
    asRole: (principal, action, resource, identity, resourcePolicy, context = {}) => ({
      principal,
      action,
      resource,
      resourceAccount: account,
      identityPolicies: [identity],
      ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
      context: { "aws:SecureTransport": "true", ...context },
    }),
  };
}
