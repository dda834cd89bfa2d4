/**
 * One IAM authorization decision, by @cloud-copilot/iam-simulate (AGPL-3.0,
 * a test-only dev dependency: nothing here reaches the handler bundle).
 *
 * Every request first goes through the validating `runSimulation`, which
 * rejects unknown actions, resource ARNs of the wrong type for the action,
 * invalid policies, and drops context keys that the action does not have.
 * A dropped key fails the test, with one exception: the library does not
 * recognise KMS encryption-context keys (`kms:EncryptionContext:<key>`: its
 * variable-key matching only handles `/`-separated variables such as
 * `aws:PrincipalTag/x`), so a request that carries one is validated as
 * above and then decided by the library's non-validating engine, with the
 * full context. https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
 */
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import type { Policy } from "./planned-policies";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface Request {
  /** A service principal (`cloudtrail.amazonaws.com`) or an IAM principal ARN (a role session). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account that owns the resource. */
  readonly resourceAccount: string;
  readonly context?: Record<string, string | string[]>;
  /** The principal's own policies (for a role: its inline policies). */
  readonly identityPolicies?: readonly Policy[];
  /** The resource's policy (bucket, key, topic, queue, function, trust policy). */
  readonly resourcePolicy?: Policy;
}

const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:/i;

export async function decide(request: Request): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: { ...(request.context ?? {}) },
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy !== undefined ? { resourcePolicy: request.resourcePolicy } : {}),
  };
  const checked = await runSimulation(simulation, {});
  if (checked.resultType === "error") throw new Error(`${describe(request)}: ${JSON.stringify(checked.errors)}`);
  if (checked.resultType !== "single") throw new Error(`${describe(request)}: expected one concrete resource, got ${checked.resultType}`);
  const ignored = checked.result.ignoredContextKeys ?? [];
  const unexpected = ignored.filter((key) => !ENCRYPTION_CONTEXT.test(key));
  if (unexpected.length > 0) throw new Error(`${describe(request)}: context keys ${unexpected.join(", ")} do not apply to ${request.action}`);
  if (ignored.length === 0) return checked.overallResult;
  return runUnsafeSimulation(
    {
      ...simulation,
      ...(request.resourcePolicy !== undefined
        ? { resourcePolicy: createValidatedPolicy(request.resourcePolicy, validateResourcePolicy, { name: "resource policy" }) }
        : {}),
    },
    {},
  );
}

const describe = (r: Request): string => `${r.principal} ${r.action} ${r.resource}`;
