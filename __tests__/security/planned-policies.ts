/**
 * The policies of a plan, as they will be applied: read from `terraform show
 * -json` of a plan against moto (moto's account id, real provider).
 *
 * Terraform renders a policy document at plan time when all its inputs are
 * known (key and trust policies). Documents that name resources still to be
 * created are deferred, but the plan still carries their statements: every
 * principal, action and condition is known; only the `resources` elements
 * that are those resources' ARNs are unknown. Those are resolved here from
 * the synthesized template (`${aws_s3_bucket.x.arn}/AWSLogs/...`) with each
 * ARN built from the resource's planned name by the ARN format AWS documents
 * for its type. A KMS key's id is chosen by AWS at creation, so a key ARN
 * gets a stable placeholder id (the same wherever the key is referenced).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { createHash } from "node:crypto";
import type { Json } from "../support/synth";
import type { PlanJson } from "../support/terraform";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string[]>;
  Action: string[];
  Resource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}
export interface Policy {
  Version: "2012-10-17";
  Statement: Statement[];
}

interface Change {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly after: Json;
  readonly unknown: Json;
}

const keyIdFor = (address: string): string => {
  const h = createHash("sha256").update(address).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export class PlannedPolicies {
  readonly account: string;
  readonly partition: string;
  readonly homeRegion: string;
  private readonly changes = new Map<string, Change>();
  private readonly read = new Map<string, Json>();

  constructor(
    private readonly plan: PlanJson,
    private readonly synth: Json,
  ) {
    for (const c of plan.resource_changes as Json[]) {
      this.changes.set(c.address, { address: c.address, type: c.type, name: c.name, index: c.index, after: c.change.after, unknown: c.change.after_unknown ?? {} });
    }
    for (const r of plan.prior_state?.values?.root_module?.resources ?? []) this.read.set(r.address, r.values);
    this.account = this.readOne("aws_caller_identity").account_id;
    this.partition = this.readOne("aws_partition").partition;
    this.homeRegion = this.readOne("aws_region").name;
  }

  /** Managed resources of a type that the plan creates, with their planned (known) values. */
  instances(type: string): { address: string; values: Json }[] {
    return [...this.changes.values()].filter((c) => c.type === type && !c.address.startsWith("data.")).map((c) => ({ address: c.address, values: c.after }));
  }

  /** The ARN of a planned resource: known, or built from its name by AWS's format for its type. */
  arn(address: string): string {
    const c = this.change(address);
    if (typeof c.after.arn === "string") return c.after.arn;
    const [p, r, a, v] = [this.partition, this.region(address), this.account, c.after];
    const formats: Record<string, () => string> = {
      aws_s3_bucket: () => `arn:${p}:s3:::${v.bucket}`,
      aws_cloudtrail: () => `arn:${p}:cloudtrail:${r}:${a}:trail/${v.name}`,
      aws_sns_topic: () => `arn:${p}:sns:${r}:${a}:${v.name}`,
      aws_sqs_queue: () => `arn:${p}:sqs:${r}:${a}:${v.name}`,
      aws_cloudwatch_log_group: () => `arn:${p}:logs:${r}:${a}:log-group:${v.name}`,
      aws_cloudwatch_event_rule: () => `arn:${p}:events:${r}:${a}:rule/${v.name}`,
      aws_cloudwatch_metric_alarm: () => `arn:${p}:cloudwatch:${r}:${a}:alarm:${v.alarm_name}`,
      aws_lambda_function: () => `arn:${p}:lambda:${r}:${a}:function:${v.function_name}`,
      aws_iam_role: () => `arn:${p}:iam::${a}:role/${v.name}`,
      aws_kms_key: () => `arn:${p}:kms:${r}:${a}:key/${keyIdFor(address)}`,
    };
    const format = formats[c.type];
    if (format === undefined) throw new Error(`no ARN format for ${c.type} (${address})`);
    return format();
  }

  /** The region of a resource: its provider's `region`, else the default provider's (the home region). */
  region(address: string): string {
    const base = address.replace(/\[[^\]]*\]$/, "");
    const config = (this.plan.configuration.root_module.resources as Json[]).find((r) => r.address === base);
    const provider = this.plan.configuration.provider_config?.[config?.provider_config_key ?? "aws"];
    return provider?.expressions?.region?.constant_value ?? this.homeRegion;
  }

  /** The policy a resource attribute will hold: its planned JSON, or the document it is built from. */
  policy(address: string, attribute: string): Policy {
    const c = this.change(address);
    if (typeof c.after[attribute] === "string") return normalize(JSON.parse(c.after[attribute]));
    const template = this.synthOf(c)[attribute];
    const match = /^\$\{(data\.aws_iam_policy_document\.[\w-]+)\.json\}$/.exec(template);
    if (match === null) throw new Error(`${address}.${attribute} is unknown and not a policy document (${template})`);
    return this.document(match[1]!);
  }

  /** A policy document: rendered by Terraform, or its planned statements with unknown resource ARNs resolved. */
  document(address: string): Policy {
    const rendered = this.read.get(address);
    if (rendered !== undefined) return normalize(JSON.parse(rendered.json));
    const c = this.change(address);
    const templates: Json[] = this.synthOf(c).statement;
    return {
      Version: "2012-10-17",
      Statement: (c.after.statement as Json[]).map((s, i) => {
        const unknown = c.unknown.statement?.[i] ?? {};
        for (const [field, flags] of Object.entries(unknown)) {
          if (field !== "resources" && JSON.stringify(flags).includes("true")) throw new Error(`${address} statement ${i}: ${field} is unknown at plan`);
        }
        const resources: string[] | null = JSON.stringify(unknown.resources ?? []).includes("true")
          ? (templates[i].resources as string[]).map((t) => this.resolve(t))
          : s.resources;
        for (const known of (s.resources ?? []).filter((r: unknown) => r !== null)) {
          if (!resources?.includes(known)) throw new Error(`${address} statement ${i}: resolved resources lost the planned ${known}`);
        }
        return statementOf({ ...s, resources });
      }),
    };
  }

  /**
   * A function's resource-based policy, as Lambda builds it from each
   * `aws_lambda_permission` (AddPermission): principal, action, the function
   * ARN, and `aws:SourceArn` as an ArnLike condition (the form of the
   * API reference's example; its parameter text speaks of StringLike: for a
   * rule ARN without wildcards the two decide the same).
   * https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
   */
  functionPolicy(functionAddress: string): Policy {
    const fn = this.change(functionAddress);
    const permissions = [...this.changes.values()].filter((c) => c.type === "aws_lambda_permission" && c.after.function_name === fn.after.function_name);
    return {
      Version: "2012-10-17",
      Statement: permissions.map((c) => {
        const sourceArn: string = c.after.source_arn ?? this.resolve(this.synthOf(c).source_arn, c);
        return {
          Sid: c.after.statement_id,
          Effect: "Allow",
          Principal: { Service: [c.after.principal] },
          Action: [c.after.action],
          Resource: [this.arn(functionAddress)],
          Condition: { ArnLike: { "AWS:SourceArn": [sourceArn] } },
        };
      }),
    };
  }

  private change(address: string): Change {
    const c = this.changes.get(address);
    if (c === undefined) throw new Error(`${address} is not in the plan`);
    return c;
  }

  private readOne(type: string): Json {
    const found = [...this.read.entries()].find(([address]) => address.startsWith(`data.${type}.`));
    if (found === undefined) throw new Error(`no data.${type} read at plan`);
    return found[1];
  }

  private synthOf(c: Change): Json {
    const block = c.address.startsWith("data.") ? this.synth.data : this.synth.resource;
    const found = block?.[c.type]?.[c.name];
    if (found === undefined) throw new Error(`${c.address} is not in the synthesized stack`);
    return found;
  }

  /** A synthesized string with only plain references (`${var.x}`, `${data.t.n.a}`, `${t.n.a}`, `${each.value.a}`). */
  private resolve(template: string, instance?: Change): string {
    const resolved = template.replace(/\$\{([\w.-]+)\}/g, (_, ref: string) => {
      const parts = ref.split(".");
      if (parts[0] === "var") return String(this.plan.variables[parts[1]!].value);
      if (parts[0] === "data") return String(this.read.get(parts.slice(0, 3).join("."))?.[parts[3]!]);
      if (parts[0] === "each" && instance !== undefined) {
        const forEach = /^\$\{([\w.]+)\}$/.exec(this.synthOf(instance).for_each)?.[1];
        return this.attribute(`${forEach}[${JSON.stringify(instance.index)}]`, parts[2]!);
      }
      return this.attribute(parts.slice(0, 2).join("."), parts[2]!);
    });
    if (resolved.includes("${")) throw new Error(`cannot resolve ${template}`);
    return resolved;
  }

  private attribute(address: string, name: string): string {
    const value = this.change(address).after[name];
    if (typeof value === "string") return value;
    if (name === "arn") return this.arn(address);
    throw new Error(`${address}.${name} is unknown at plan`);
  }
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** One `aws_iam_policy_document` statement block as IAM JSON (what the data source renders). */
function statementOf(s: Json): Statement {
  for (const field of ["not_actions", "not_resources", "not_principals"]) {
    if (list(s[field]).length > 0) throw new Error(`${field} is not read here: extend statementOf`);
  }
  const out: Statement = { Effect: s.effect ?? "Allow", Action: list(s.actions) };
  if (s.sid) out.Sid = s.sid;
  if (s.resources?.length) out.Resource = list(s.resources);
  const principals: Json[] = s.principals ?? [];
  if (principals.some((p) => p.type === "*")) out.Principal = "*";
  else if (principals.length > 0) {
    out.Principal = {};
    for (const p of principals) out.Principal[p.type] = [...(out.Principal[p.type] ?? []), ...list(p.identifiers)];
  }
  for (const c of s.condition ?? []) {
    out.Condition ??= {};
    out.Condition[c.test] = { ...(out.Condition[c.test] ?? {}), [c.variable]: list(c.values) };
  }
  return out;
}

/** IAM JSON with every list-valued element as a list (the form `statementOf` produces), for comparison and simulation. */
export function normalize(policy: Json): Policy {
  return {
    Version: "2012-10-17",
    Statement: (policy.Statement as Json[]).map((s) => {
      const out: Statement = { Effect: s.Effect, Action: list(s.Action) };
      if (s.Sid) out.Sid = s.Sid;
      if (s.Resource !== undefined) out.Resource = list(s.Resource);
      if (s.Principal === "*") out.Principal = "*";
      else if (s.Principal !== undefined) out.Principal = Object.fromEntries(Object.entries(s.Principal).map(([k, v]) => [k, list(v)]));
      if (s.Condition !== undefined) {
        out.Condition = Object.fromEntries(
          Object.entries<Json>(s.Condition).map(([test, vars]) => [test, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, list(v)]))]),
        );
      }
      return out;
    }),
  };
}

/** Terraform's own rendering of a document read at plan, and `statementOf` over its statement blocks, for a self-check. */
export function renderedAndRebuilt(planned: PlannedPolicies, plan: PlanJson): { address: string; rendered: Policy; rebuilt: Policy }[] {
  return (plan.prior_state?.values?.root_module?.resources ?? [])
    .filter((r: Json) => r.type === "aws_iam_policy_document")
    .map((r: Json) => ({
      address: r.address as string,
      rendered: planned.document(r.address),
      rebuilt: { Version: "2012-10-17" as const, Statement: (r.values.statement as Json[]).map(statementOf) },
    }));
}
