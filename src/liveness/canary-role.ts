import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** The tag the heartbeat schedule puts on the canary role, every time the same. */
export const HEARTBEAT_TAG = { key: "heartbeat", value: "eventbridge-scheduler" } as const;

export interface CanaryRoleProps {
  /** @default - the stack's default provider (IAM is global; the provider only signs the calls) */
  readonly provider?: TerraformProvider;
  readonly roleName: string;
  /** 0 or 1, a Terraform expression: the canary exists while the heartbeat is on. */
  readonly count: number;
}

/**
 * The role the heartbeat tags: an IAM role that nobody can use and that can
 * do nothing, so that tagging it is a real, recorded IAM call without side
 * effects.
 *
 * - Nobody can assume it. A role's trust policy must explicitly allow a
 *   principal, even in the same account; this one allows nobody and
 *   explicitly denies every principal every way of assuming it, and an
 *   explicit deny overrides any allow in any other policy.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * - It can do nothing: no inline policy, no managed policy.
 * - Its tags include the heartbeat's own, with the value the schedule writes,
 *   so Terraform and the schedule never disagree (no drift at each plan).
 *
 * It is excluded from nothing: a change to it by anyone else (a policy
 * attached, its trust changed) alerts like any other IAM change.
 */
export class CanaryRole extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: CanaryRoleProps) {
    super(scope, id);

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      provider: props.provider,
      statement: [
        {
          sid: "NobodyAssumesTheCanary",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      provider: props.provider,
      count: props.count,
      name: props.roleName,
      description:
        "Heartbeat canary: tagged by EventBridge Scheduler so that CloudTrail records a call. Nobody can assume it; it has no permissions.",
      assumeRolePolicy: trust.json,
      tags: { [HEARTBEAT_TAG.key]: HEARTBEAT_TAG.value },
    });
  }
}
