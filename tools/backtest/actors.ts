/**
 * Who did it: a short label for the top-actors lists, and the principal an
 * `ignored_principal_arns` entry would have to name to silence the alert.
 * userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
import type { CloudTrailRecord } from "./wrap";

type Identity = Readonly<Record<string, unknown>>;

const obj = (v: unknown): Identity | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Identity) : undefined);
const str = (o: Identity | undefined, k: string): string | undefined => (typeof o?.[k] === "string" && o[k] !== "" ? (o[k] as string) : undefined);

const issuerOf = (identity: Identity | undefined): Identity | undefined => obj(obj(identity?.["sessionContext"])?.["sessionIssuer"]);

/** The validation of `ignored_principal_arns` (src/config/variables.ts): IAM user or role ARNs only. */
export const IGNORABLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)\/[A-Za-z0-9+=,.@_/-]+$/;

export function actorOf(record: CloudTrailRecord): string {
  const identity = obj(record["userIdentity"]);
  if (identity === undefined) return "(no userIdentity)";
  const type = str(identity, "type");
  switch (type) {
    case "Root":
      return `root (account ${str(identity, "accountId") ?? "?"})`;
    case "AssumedRole":
      return str(issuerOf(identity), "arn") ?? str(identity, "arn") ?? "assumed role";
    case "AWSService":
      return str(identity, "invokedBy") ?? "AWS service";
    case "AWSAccount":
      return `account ${str(identity, "accountId") ?? "?"}`;
    default:
      return str(identity, "arn") ?? str(identity, "principalId") ?? type ?? "unknown";
  }
}

/**
 * The user or role ARN that suppression compares: the session issuer of an
 * assumed role (`sessionContext.sessionIssuer.arn`), else `userIdentity.arn`;
 * undefined for root and for anything that is not an IAM user or role ARN.
 */
export function ignorablePrincipalOf(record: CloudTrailRecord): string | undefined {
  const identity = obj(record["userIdentity"]);
  if (identity === undefined || str(identity, "type") === "Root") return undefined;
  const issuer = str(issuerOf(identity), "arn");
  if (issuer !== undefined && IGNORABLE_ARN.test(issuer)) return issuer;
  const arn = str(identity, "arn");
  return arn !== undefined && IGNORABLE_ARN.test(arn) ? arn : undefined;
}
