/**
 * Subscribers of the alert topic: who receives alerts.
 */
import type { Finding } from "../finding";
import { ResourceChange, sensitive, sides, str, unknownAfter } from "../plan-json";
import { code, finding, Rule } from "./rule";

/** Endpoints are printed unless Terraform marks them sensitive. */
function endpoint(rc: ResourceChange, side: "before" | "after"): string {
  const attrs = sides(rc)[side];
  const protocol = str(attrs, "protocol") ?? "unknown protocol";
  if (side === "after" && unknownAfter(rc, "endpoint")) return `a subscriber (${protocol}, address known after apply)`;
  if (sensitive(rc, side, "endpoint")) return `a subscriber (${protocol}, address sensitive)`;
  const value = str(attrs, "endpoint");
  return value !== undefined ? `${code(value)} (${protocol})` : `a subscriber (${protocol})`;
}

export const subscription: Rule = (rc, ctx) => {
  const { before, after } = sides(rc);
  const out: Finding[] = [];
  const was = before !== null ? endpoint(rc, "before") : undefined;
  const will = after !== null ? endpoint(rc, "after") : undefined;
  if (was !== undefined && will !== undefined) {
    if (rc.change.actions.includes("delete")) {
      if (was === will) {
        out.push(finding("change", "subscribers", rc, `Subscription of ${was} is recreated: the recipient must confirm it again.`));
      } else {
        out.push(finding("weakening", "subscribers", rc, `Subscriber removed: ${was}.`));
        out.push(finding("strengthening", "subscribers", rc, `Subscriber added: ${will}.`));
      }
    }
    return out;
  }
  if (will !== undefined) return [finding("strengthening", "subscribers", rc, `Subscriber added: ${will}.`)];
  if (was !== undefined) {
    const subscriptions = ctx.changes.filter((c) => c.type === rc.type);
    const remaining = subscriptions.filter((c) => sides(c).after !== null).length;
    // Said once, on the deleted subscription with the greatest address, whatever the order of the plan.
    const lastDeleted = subscriptions
      .filter((c) => sides(c).before !== null && sides(c).after === null)
      .reduce<ResourceChange | undefined>((last, c) => (last === undefined || c.address > last.address ? c : last), undefined);
    const last = remaining === 0 && lastDeleted === rc ? " No subscriber remains: alerts reach nobody." : "";
    out.push(finding("weakening", "subscribers", rc, `Subscriber removed: ${was}.${last}`));
  }
  return out;
};
