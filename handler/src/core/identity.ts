import { asObject, str, withDefined, type JsonObject } from "./types.js";

/**
 * Who made the call, from the record's `userIdentity`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 * Every field may be missing: documentation examples, service events and
 * failed sign-ins all omit some of them.
 */
export interface Actor {
  /** `userIdentity.type` (IAMUser, AssumedRole, Root, AWSService, ...), or "Unknown". */
  readonly type: string;
  /** Short name for the subject: user name, "role/session", SSO session (the person), "root", invoking service. */
  readonly name: string;
  /**
   * What kind of principal, written before the name in the subject
   * (`user/root`, `saml/admin`, `sso/alice`), so that only the root user
   * itself ever reads as `by root`. Derived from `type`, never from names.
   */
  readonly kind: string;
  readonly arn?: string;
  readonly principalId?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  /** The IAM role behind an assumed-role (including IAM Identity Center) session. */
  readonly role?: { readonly arn?: string; readonly name?: string };
  /** IAM Identity Center (SSO) permission set, when the role is one of its reserved roles. */
  readonly ssoPermissionSet?: string;
  readonly invokedBy?: string;
  readonly mfa: "yes" | "no" | "not recorded";
  readonly isRoot: boolean;
}

/** IAM Identity Center names its roles AWSReservedSSO_<PermissionSet>_<16 hex>. */
const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;
/** IAM role names are at most 64 characters; longer ones are not tested against SSO_ROLE. */
const MAX_ROLE_NAME = 128;

/**
 * `userIdentity.type` values documented in
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 * and the short kind shown for each. Anything else is "other" (the full type
 * is in the message), so a type string cannot pass itself off as another.
 */
const KINDS: Readonly<Record<string, string>> = {
  IAMUser: "user",
  AssumedRole: "role",
  Role: "role",
  FederatedUser: "federated",
  SAMLUser: "saml",
  WebIdentityUser: "webid",
  IdentityCenterUser: "idc-user",
  Directory: "directory",
  AWSService: "service",
  AWSAccount: "account",
  Unknown: "unknown",
};

export function describeActor(record: JsonObject): Actor {
  const identity = asObject(record["userIdentity"]) ?? {};
  const type = str(identity, "type") ?? "Unknown";
  const arn = str(identity, "arn");
  const invokedBy = str(identity, "invokedBy");
  const issuer = asObject(asObject(identity["sessionContext"])?.["sessionIssuer"]);
  const isAssumed = type === "AssumedRole" || type === "FederatedUser";
  const roleArn = isAssumed ? str(issuer, "arn") : undefined;
  const roleName = isAssumed ? (str(issuer, "userName") ?? roleNameFromArn(arn)) : undefined;
  const ssoPermissionSet =
    roleName === undefined || roleName.length > MAX_ROLE_NAME ? undefined : SSO_ROLE.exec(roleName)?.[1];

  return withDefined({
    type,
    name: shortName(type, identity, arn, invokedBy, roleName),
    kind: ssoPermissionSet !== undefined ? "sso" : (Object.hasOwn(KINDS, type) ? KINDS[type] : undefined) ?? "other",
    arn,
    principalId: str(identity, "principalId"),
    accountId: str(identity, "accountId"),
    accessKeyId: str(identity, "accessKeyId"),
    role: roleArn !== undefined || roleName !== undefined ? withDefined({ arn: roleArn, name: roleName }) : undefined,
    ssoPermissionSet,
    invokedBy,
    mfa: mfaUsed(record, identity),
    isRoot: type === "Root",
  });
}

function shortName(
  type: string,
  identity: JsonObject,
  arn: string | undefined,
  invokedBy: string | undefined,
  roleName: string | undefined,
): string {
  switch (type) {
    case "Root":
      return "root";
    case "AssumedRole":
    case "FederatedUser": {
      // arn:aws:sts::123456789012:assumed-role/RoleName/SessionName -> RoleName/SessionName,
      // except for IAM Identity Center, whose session name is the person and whose
      // role name (AWSReservedSSO_<set>_<hex>) is long and shown in the message.
      const session = lastArnSegment(arn) ?? str(identity, "userName") ?? principalSuffix(identity) ?? "unknown";
      const sso = roleName !== undefined && roleName.length <= MAX_ROLE_NAME && SSO_ROLE.test(roleName);
      return roleName === undefined || sso ? session : `${roleName}/${session}`;
    }
    case "AWSService":
      return invokedBy ?? "AWS service";
    default:
      return (
        str(identity, "userName") ??
        lastArnSegment(arn) ??
        invokedBy ??
        str(identity, "principalId") ??
        (str(identity, "accountId") !== undefined ? `account ${str(identity, "accountId")}` : "unknown")
      );
  }
}

/** Sign-in events record MFA in additionalEventData.MFAUsed ("Yes"/"No", "YES" in AWS docs); API calls in the session attributes. */
function mfaUsed(record: JsonObject, identity: JsonObject): Actor["mfa"] {
  const signIn = str(asObject(record["additionalEventData"]), "MFAUsed");
  const session = str(asObject(asObject(identity["sessionContext"])?.["attributes"]), "mfaAuthenticated");
  const value = (signIn ?? session)?.toLowerCase();
  if (value === "yes" || value === "true") return "yes";
  if (value === "no" || value === "false") return "no";
  return "not recorded";
}

function lastArnSegment(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const resource = arn.split(":").slice(5).join(":");
  const last = resource.split("/").pop();
  return last !== undefined && last.length > 0 && last !== resource ? last : undefined;
}

function roleNameFromArn(arn: string | undefined): string | undefined {
  // arn:aws:sts::123456789012:assumed-role/RoleName/SessionName
  const parts = arn?.split(":").slice(5).join(":").split("/");
  return parts !== undefined && parts[0] === "assumed-role" && parts.length >= 3 ? parts[1] : undefined;
}

function principalSuffix(identity: JsonObject): string | undefined {
  // principalId of a role session is "AROA...:SessionName"
  const principalId = str(identity, "principalId");
  const idx = principalId?.indexOf(":") ?? -1;
  return principalId !== undefined && idx >= 0 && idx < principalId.length - 1 ? principalId.slice(idx + 1) : undefined;
}
