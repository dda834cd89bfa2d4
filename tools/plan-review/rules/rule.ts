/**
 * What every rule shares: a rule turns one resource change into findings,
 * and these helpers word them alike.
 */
import type { Area, Finding, FindingKind, PlanContext } from "../finding";
import { bool, ResourceChange, sides, str, unknownAfter } from "../plan-json";

export type Rule = (rc: ResourceChange, ctx: PlanContext) => Finding[];

export const code = (value: string): string => "`" + value.replace(/`/g, "'") + "`";

export const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The resource's own name for a sentence: a name attribute when known, else its address. */
export function nameOf(rc: ResourceChange, ...attributes: string[]): string {
  const { before, after } = sides(rc);
  for (const attribute of attributes) {
    const value = str(after, attribute) ?? str(before, attribute);
    if (value !== undefined) return code(value);
  }
  return code(rc.address);
}

export function finding(kind: FindingKind, area: Area, rc: ResourceChange, message: string): Finding {
  return { kind, area, message, address: rc.address };
}

/** A boolean setting flipping: true -> false is a weakening, false -> true a strengthening. */
export function flag(
  rc: ResourceChange,
  area: Area,
  attribute: string,
  off: string,
  on: string,
): Finding[] {
  const { before, after } = sides(rc);
  if (before === null || after === null || unknownAfter(rc, attribute)) return [];
  const was = bool(before, attribute);
  const will = bool(after, attribute);
  if (was === true && will === false) return [finding("weakening", area, rc, off)];
  if (was === false && will === true) return [finding("strengthening", area, rc, on)];
  return [];
}
