/**
 * Policies: who may do what. Resource policies (bucket, topic, queue, key),
 * trust policies, and the permissions of roles.
 */
import type { Area, Finding, PlanContext } from "../finding";
import { ResourceChange, sides, str, unknownAfter } from "../plan-json";
import { addedGrants, describeGrants, describePrincipal, Grant, parsePolicy, PolicyFacts } from "../policy";
import { bucketLabel } from "./buckets";
import { code, finding, nameOf, Rule } from "./rule";

const POLICY_SUBJECTS: Readonly<Record<string, { attribute: string; subject: (rc: ResourceChange) => string; area: Area }>> = {
  aws_s3_bucket_policy: { attribute: "policy", subject: (rc) => `Policy of ${bucketLabel(rc)}`, area: "policies" },
  aws_sns_topic_policy: { attribute: "policy", subject: (rc) => `Policy of topic ${nameOf(rc, "arn")}`, area: "policies" },
  aws_sqs_queue_policy: { attribute: "policy", subject: (rc) => `Policy of queue ${queueName(rc)}`, area: "policies" },
  aws_kms_key: { attribute: "policy", subject: (rc) => `Policy of KMS key ${nameOf(rc, "description", "key_id")}`, area: "policies" },
  aws_iam_role: { attribute: "assume_role_policy", subject: (rc) => `Trust policy of role ${nameOf(rc, "name")}`, area: "permissions" },
  aws_iam_role_policy: { attribute: "policy", subject: (rc) => `Role ${roleName(rc)} (inline policy ${nameOf(rc, "name")})`, area: "permissions" },
  aws_iam_policy: { attribute: "policy", subject: (rc) => `Managed policy ${nameOf(rc, "name", "arn")}`, area: "permissions" },
};

/** The queue name is the last segment of its URL. */
function queueName(rc: ResourceChange): string {
  const { before, after } = sides(rc);
  const url = str(after, "queue_url") ?? str(before, "queue_url");
  return url !== undefined ? code(url.split("/").pop() ?? url) : code(rc.address);
}

function roleName(rc: ResourceChange): string {
  const { before, after } = sides(rc);
  const role = str(after, "role") ?? str(before, "role");
  return role !== undefined ? code(role) : "(created by this plan)";
}

/** True when the role a policy attaches to is itself created by this plan (its initial permissions are not a widening). */
function roleIsNew(rc: ResourceChange, ctx: PlanContext): boolean {
  if (unknownAfter(rc, "role")) return true;
  const role = str(sides(rc).after, "role");
  return ctx.changes.some(
    (c) => c.type === "aws_iam_role" && sides(c).before === null && (str(sides(c).after, "name") === role || str(sides(c).after, "id") === role),
  );
}

function grantSentences(subject: string, grants: readonly Grant[], verb: string): string[] {
  return describeGrants(grants).map(({ principal, text }) => {
    const who = describePrincipal(principal);
    return who === "" ? `${subject} ${verb} ${text}.` : `${subject} ${verb} ${who}: ${text}.`;
  });
}

export const policyRule: Rule = (rc, ctx) => {
  const spec = POLICY_SUBJECTS[rc.type];
  if (spec === undefined) return [];
  const { before, after } = sides(rc);
  const subject = spec.subject(rc);
  if (after !== null && unknownAfter(rc, spec.attribute)) {
    // Typically a policy document read from a data source that depends on a resource changed in the same plan.
    return before !== null
      ? [finding("change", spec.area, rc, `${subject} is recomputed during apply: its new text is not in the plan, so it cannot be reviewed here.`)]
      : [];
  }
  const identity = rc.type === "aws_iam_role_policy" || rc.type === "aws_iam_policy";
  const allows = identity ? "may now" : "now allows";
  const disallows = identity ? "may no longer" : "no longer allows";
  const prior: PolicyFacts | undefined = before !== null ? parsePolicy(before[spec.attribute]) : undefined;
  const planned: PolicyFacts | undefined = after !== null ? parsePolicy(after[spec.attribute]) : undefined;
  const out: Finding[] = [];

  if (before === null) {
    if (planned === undefined) return [];
    // A new policy: only what is risky on its own, an unconditional grant to anyone; or new permissions for an existing role.
    const open = planned.grants.filter((g) => g.principal === "*" && !g.conditional);
    for (const sentence of grantSentences(subject, open, "allows")) out.push(finding("weakening", spec.area, rc, sentence));
    if (rc.type === "aws_iam_role_policy" && !roleIsNew(rc, ctx)) {
      for (const sentence of grantSentences(subject, planned.grants, "may now")) out.push(finding("weakening", spec.area, rc, sentence));
    }
    return out;
  }
  if (prior === undefined) return [];
  if (after === null) {
    if (prior.tlsOnly) out.push(finding("weakening", spec.area, rc, `${subject} is deleted, and with it the statement that refuses requests without TLS.`));
    if (identity) out.push(...grantSentences(subject, prior.grants, disallows).map((s) => finding("strengthening", spec.area, rc, s)));
    return out;
  }
  if (planned === undefined) return [];

  if (prior.tlsOnly && !planned.tlsOnly) {
    out.push(finding("weakening", spec.area, rc, `${subject} no longer refuses requests without TLS (\`aws:SecureTransport\` deny removed).`));
  }
  if (!prior.tlsOnly && planned.tlsOnly) out.push(finding("strengthening", spec.area, rc, `${subject} now refuses requests without TLS.`));
  for (const sentence of grantSentences(subject, addedGrants(prior.grants, planned.grants), allows)) out.push(finding("weakening", spec.area, rc, sentence));
  for (const sentence of grantSentences(subject, addedGrants(planned.grants, prior.grants), disallows)) out.push(finding("strengthening", spec.area, rc, sentence));
  return out;
};

export const policyAttachment: Rule = (rc, ctx) => {
  const { before, after } = sides(rc);
  const arn = str(after, "policy_arn") ?? str(before, "policy_arn");
  const policy = arn !== undefined ? code(arn) : "a managed policy";
  if (before === null && after !== null && !roleIsNew(rc, ctx)) {
    return [finding("weakening", "permissions", rc, `Role ${roleName(rc)} gains ${policy}.`)];
  }
  if (before !== null && after === null) return [finding("strengthening", "permissions", rc, `Role ${roleName(rc)} loses ${policy}.`)];
  return [];
};
