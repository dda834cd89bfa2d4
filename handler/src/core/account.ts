import type { Facts } from "./facts.js";
import type { AlertContext } from "./types.js";

/**
 * The account an event belongs to, as the operator knows it: `name (id)`
 * when `account_names` names it, else the id. In an organization this is how
 * a reader tells which member account acted. Raw: callers show or cut it.
 */
export function accountName(facts: Facts, context: AlertContext): string | undefined {
  const id = facts.account;
  if (id === undefined) return undefined;
  const names = context.accountNames;
  return names !== undefined && Object.hasOwn(names, id) ? names[id] : undefined;
}
