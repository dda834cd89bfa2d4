/**
 * Permissions of an event bus: which accounts may put events on it. The
 * central bus admits the organization's accounts (principal `*` under
 * `aws:PrincipalOrgID`); without that statement their forwarded events are
 * refused. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
 */
import { Attributes, block, sides, str, unknownAfter } from "../plan-json";
import { code, finding, Rule } from "./rule";

/** Who the statement admits, in words. */
function admitted(attrs: Attributes): string {
  const condition = block(attrs, "condition") ?? null;
  const organization = str(condition, "key") === "aws:PrincipalOrgID" ? str(condition, "value") : undefined;
  if (organization !== undefined) return `organization ${code(organization)}`;
  const principal = str(attrs, "principal");
  if (principal === "*") return condition !== null ? "anyone (`*`) under a condition" : "anyone (`*`)";
  return principal !== undefined ? `account ${code(principal)}` : "a principal known only after apply";
}

/** Principal `*` with no condition: any AWS account may put events, so alerts could be forged. */
const openToAnyone = (attrs: Attributes): boolean => str(attrs, "principal") === "*" && block(attrs, "condition") === undefined;

export const busPermission: Rule = (rc) => {
  const { before, after } = sides(rc);
  const attrs = after ?? before;
  const bus = `Bus ${code(str(attrs, "event_bus_name") ?? "default")}`;
  const statement = code(str(attrs, "statement_id") ?? rc.address);
  const opened = `${bus} now admits events from anyone (\`*\`) with no condition: any AWS account can put forged events on it.`;

  if (before !== null && after === null) {
    return [finding("weakening", "organization", rc, `${bus} no longer admits events from ${admitted(before)} (statement ${statement} removed): events forwarded from those accounts are refused and raise no alert.`)];
  }
  if (after === null) return [];
  if (before === null) {
    return openToAnyone(after)
      ? [finding("weakening", "policies", rc, opened)]
      : [finding("strengthening", "organization", rc, `${bus} admits events from ${admitted(after)} (statement ${statement}).`)];
  }
  if (unknownAfter(rc, "principal") || unknownAfter(rc, "condition")) return [];
  return openToAnyone(after) && !openToAnyone(before) ? [finding("weakening", "policies", rc, opened)] : [];
};
