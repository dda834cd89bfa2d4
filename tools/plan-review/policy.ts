/**
 * IAM policy documents (bucket, topic, queue and key policies, role
 * policies, trust policies), reduced to what a reviewer needs to compare two
 * versions: who is allowed to do what on which resource, and whether requests
 * without TLS are refused.
 *
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import { byText, isRecord, strings } from "./plan-json";

/** One allowed (principal, action, resource) triple of an `Allow` statement. */
export interface Grant {
  /** `*` for anyone, `AWS:arn:...`, `Service:events.amazonaws.com`, or "" in an identity policy (no Principal). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** True when the statement has a Condition block (the grant is narrower than it reads). */
  readonly conditional: boolean;
}

export interface PolicyFacts {
  readonly grants: readonly Grant[];
  /** A Deny statement with `aws:SecureTransport = false`: requests without TLS are refused. */
  readonly tlsOnly: boolean;
}

/** Parses a policy document given as JSON text; undefined when it is not a policy document. */
export function parsePolicy(text: unknown): PolicyFacts | undefined {
  if (typeof text !== "string" || text.trim() === "") return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(doc)) return undefined;
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).filter(isRecord);
  const grants: Grant[] = [];
  let tlsOnly = false;
  for (const statement of statements) {
    if (statement.Effect === "Deny" && deniesInsecureTransport(statement.Condition)) tlsOnly = true;
    if (statement.Effect !== "Allow") continue;
    const conditional = isRecord(statement.Condition) && Object.keys(statement.Condition).length > 0;
    const principals = "Principal" in statement ? principalsOf(statement.Principal) : [""];
    // NotAction / NotResource allow everything except a list: report them as the wildcard they nearly are.
    const actions = "NotAction" in statement ? ["* except " + strings(statement.NotAction).join(", ")] : strings(statement.Action);
    const resources =
      "NotResource" in statement ? ["* except " + strings(statement.NotResource).join(", ")] : strings(statement.Resource);
    for (const principal of principals) {
      for (const action of actions) {
        for (const resource of resources.length > 0 ? resources : [""]) {
          grants.push({ principal, action, resource, conditional });
        }
      }
    }
  }
  return { grants, tlsOnly };
}

function principalsOf(principal: unknown): string[] {
  if (principal === "*") return ["*"];
  if (!isRecord(principal)) return [];
  const out: string[] = [];
  for (const [kind, ids] of Object.entries(principal)) {
    for (const id of strings(ids)) out.push(kind === "AWS" && id === "*" ? "*" : `${kind}:${id}`);
  }
  return out;
}

function deniesInsecureTransport(condition: unknown): boolean {
  if (!isRecord(condition)) return false;
  for (const [operator, entries] of Object.entries(condition)) {
    if (!/^Bool(IfExists)?$/.test(operator) || !isRecord(entries)) continue;
    const value = entries["aws:SecureTransport"];
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => v === false || v === "false")) return true;
  }
  return false;
}

const grantKey = (g: Grant): string => `${g.principal}\u0000${g.action}\u0000${g.resource}`;

/** Grants in `next` that `previous` does not have (same principal, action and resource). */
export function addedGrants(previous: readonly Grant[], next: readonly Grant[]): Grant[] {
  const known = new Set(previous.map(grantKey));
  return next.filter((g) => !known.has(grantKey(g)));
}

/** A wildcard action or resource (a `*` principal is spelled out as "anyone" instead). */
export const isWildcard = (g: Grant): boolean =>
  g.action === "*" || g.action.endsWith(":*") || g.action.startsWith("* except") || g.resource === "*" || g.resource.startsWith("* except");

/** "anyone (`*`)", "service events.amazonaws.com", "arn:aws:iam::123456789012:root", or "" for identity policies. */
export function describePrincipal(principal: string): string {
  if (principal === "*") return "anyone (`*`)";
  if (principal === "") return "";
  const [kind, ...rest] = principal.split(":");
  const id = rest.join(":");
  return kind === "Service" ? `service \`${id}\`` : kind === "AWS" ? `\`${id}\`` : `${kind} \`${id}\``;
}

/**
 * Grants grouped for a sentence: per principal, the actions and the
 * resources they apply to, in a stable order.
 */
export function describeGrants(grants: readonly Grant[]): { principal: string; text: string }[] {
  const byPrincipal = new Map<string, Grant[]>();
  for (const g of grants) byPrincipal.set(g.principal, [...(byPrincipal.get(g.principal) ?? []), g]);
  return [...byPrincipal.keys()].sort(byText).map((principal) => {
    const group = byPrincipal.get(principal) ?? [];
    const actions = unique(group.map((g) => g.action));
    const resources = unique(group.map((g) => g.resource).filter((r) => r !== ""));
    const wildcard = group.some(isWildcard) ? " (wildcard)" : "";
    const on = resources.length > 0 ? ` on ${list(resources.map(code), 3)}` : "";
    return { principal, text: `${list(actions.map(code), 6)}${on}${wildcard}` };
  });
}

/** Distinct values in a stable order. */
export const unique = (values: readonly string[]): string[] => [...new Set(values)].sort(byText);
const code = (value: string): string => "`" + value.replace(/`/g, "'") + "`";

/** "a, b and 3 more" */
export function list(items: readonly string[], max = items.length): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}
