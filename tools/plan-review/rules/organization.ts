/**
 * Organization coverage: which accounts and regions forward their events to
 * the central bus. A service-managed StackSet puts the forwarding template in
 * the accounts of the targeted OUs, one instance per member region; a
 * self-managed StackSet puts it in this account's regions beyond the ones
 * that forward without it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html
 *
 * When a plan creates or deletes a whole StackSet, its finding names the
 * regions and OUs, and its instances say nothing more.
 */
import type { Finding, FindingKind, PlanContext } from "../finding";
import { Attributes, block, ResourceChange, sides, str, strings, unknownWithin } from "../plan-json";
import { list, unique } from "../policy";
import { capitalized, code, finding, nameOf, Rule } from "./rule";

const STACK_SET = "aws_cloudformation_stack_set";
const STACK_SET_INSTANCE = "aws_cloudformation_stack_set_instance";

/** The OUs (or the root) an instance deploys to; empty for an instance in one account. */
const targetsOf = (attrs: Attributes | null): string[] => strings(block(attrs, "deployment_targets")?.organizational_unit_ids);

/** "OU `ou-ab12-cd34ef56`", or "the organization root `r-ab12`" (a target may be either). */
const targetLabel = (id: string): string => (id.startsWith("r-") ? `the organization root ${code(id)}` : `OU ${code(id)}`);

const accountsOf = (targets: readonly string[]): string =>
  targets.length > 0 ? `the accounts of ${list(targets.map(targetLabel))}` : "member accounts";

const regions = (names: readonly string[]): string => list(unique(names).map(code));

function stackSetNameOf(rc: ResourceChange): string | undefined {
  const { before, after } = sides(rc);
  return str(after, "stack_set_name") ?? str(before, "stack_set_name");
}

function instancesOf(ctx: PlanContext, stackSetName: string | undefined): ResourceChange[] {
  return ctx.changes.filter((c) => c.type === STACK_SET_INSTANCE && c.mode === "managed" && stackSetNameOf(c) === stackSetName);
}

/** True when the plan creates or deletes the StackSet of that name: its own finding covers its instances. */
function createdOrDeleted(ctx: PlanContext, stackSetName: string | undefined): boolean {
  return ctx.changes.some((c) => {
    const { before, after } = sides(c);
    return c.type === STACK_SET && (before === null) !== (after === null) && str(after ?? before, "name") === stackSetName;
  });
}

export const stackSet: Rule = (rc, ctx) => {
  const { before, after } = sides(rc);
  if ((before === null) === (after === null)) return [];
  const deleted = after === null;
  const attrs = after ?? before;
  const name = nameOf(rc, "name");
  const instances = instancesOf(ctx, str(attrs, "name")).map((c) => sides(c)[deleted ? "before" : "after"]);
  const covered = instances.flatMap((i) => str(i, "region") ?? []);
  const fromRegions = covered.length > 0 ? ` from ${regions(covered)}` : "";

  if (str(attrs, "permission_model") === "SERVICE_MANAGED") {
    const accounts = accountsOf(unique(instances.flatMap(targetsOf)));
    return deleted
      ? [finding("weakening", "organization", rc, `Organization coverage is removed: StackSet ${name} is deleted, so ${accounts} stop forwarding their events${fromRegions}.`)]
      : [finding("strengthening", "organization", rc, `Organization coverage is added: StackSet ${name} makes ${accounts} forward their events${fromRegions}.`)];
  }
  const own = covered.length > 0 ? `Regions ${regions(covered)} of this account` : "This account's extra regions";
  return deleted
    ? [finding("weakening", "organization", rc, `${own} stop forwarding their events to us-east-1: StackSet ${name} is deleted.`)]
    : [finding("strengthening", "organization", rc, `${own} forward their events to us-east-1 (new StackSet ${name}).`)];
};

export const stackSetInstance: Rule = (rc, ctx) => {
  const { before, after } = sides(rc);
  const setName = stackSetNameOf(rc);
  if (createdOrDeleted(ctx, setName)) return [];
  const stack = `StackSet ${setName !== undefined ? code(setName) : code(rc.address)}`;
  const member = block(before, "deployment_targets") !== undefined || block(after, "deployment_targets") !== undefined || unknownWithin(rc, "deployment_targets");
  const region = str(after, "region") ?? str(before, "region");
  const where = region !== undefined ? `Region ${code(region)}` : "A region known only after apply";

  if (before !== null && after === null) {
    return member
      ? [finding("weakening", "organization", rc, `${where} leaves organization coverage: ${accountsOf(targetsOf(before))} stop forwarding its events (${stack}).`)]
      : [finding("weakening", "organization", rc, `${where} of this account stops forwarding its events to us-east-1 (${stack}).`)];
  }
  if (before === null && after !== null) {
    return member
      ? [finding("strengthening", "organization", rc, `${where} joins organization coverage: ${accountsOf(targetsOf(after))} forward its events (${stack}).`)]
      : [finding("strengthening", "organization", rc, `${where} of this account forwards its events to us-east-1 (${stack}).`)];
  }
  if (before === null || after === null || !member || unknownWithin(rc, "deployment_targets")) return [];
  return targetChanges(rc, ctx, stack);
};

/**
 * OUs dropped from (or added to) the instances of one StackSet: one finding
 * per OU naming every region it leaves, said on the instance with the least
 * address, whatever the order of the plan.
 */
function targetChanges(rc: ResourceChange, ctx: PlanContext, stack: string): Finding[] {
  const updated = instancesOf(ctx, stackSetNameOf(rc)).filter((c) => {
    const { before, after } = sides(c);
    return before !== null && after !== null && !unknownWithin(c, "deployment_targets");
  });
  const changed = (c: ResourceChange, from: "before" | "after", ou: string): boolean => {
    const s = sides(c);
    return targetsOf(s[from]).includes(ou) && !targetsOf(s[from === "before" ? "after" : "before"]).includes(ou);
  };
  const out: Finding[] = [];
  const directions: readonly [FindingKind, "before" | "after"][] = [
    ["weakening", "before"],
    ["strengthening", "after"],
  ];
  for (const [kind, from] of directions) {
    for (const ou of targetsOf(sides(rc)[from]).filter((id) => changed(rc, from, id))) {
      const group = updated.filter((c) => changed(c, from, ou));
      if (group.some((c) => c.address < rc.address)) continue;
      const where = regions(group.flatMap((c) => str(sides(c).after, "region") ?? []));
      const who = capitalized(targetLabel(ou));
      out.push(
        kind === "weakening"
          ? finding(kind, "organization", rc, `${who} leaves organization coverage in ${where}: its accounts stop forwarding their events there (${stack}).`)
          : finding(kind, "organization", rc, `${who} joins organization coverage in ${where} (${stack}).`),
      );
    }
  }
  return out;
}
