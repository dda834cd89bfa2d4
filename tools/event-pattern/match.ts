/**
 * Matching an event against compiled sub-rules, with the semantics of AWS's
 * library (aws/event-ruler, `rulesForJSONEvent`), checked against it by
 * __tests__/event-pattern/oracle.differential.test.ts:
 *
 * - A field matches when one of its leaf values (string, number, boolean or
 *   null; arrays are looked through, at any depth) passes the field's test.
 *   An object is not a leaf: `exists` only sees leaves.
 * - Array consistency: the leaves a sub-rule uses must not come from
 *   different elements of one array ({"first": "Anna"} and {"last": "Jones"}
 *   in two elements of `employees` do not make "Anna Jones").
 * - `exists: false` holds when no leaf at that path is consistent with the
 *   array elements the fields before it (in path order) have chosen; with
 *   none chosen yet, anywhere in the event.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 */
import type { Step, SubRule } from "./compile";

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/** A depth-first search over the steps of one sub-rule at a time; not re-entrant across events. */
export class SubRuleMatcher {
  private rule: SubRule = [];
  private root: unknown = undefined;
  /** Chosen array elements: pairs (array, index). */
  private readonly chosen: unknown[] = [];

  constructor(private readonly subRules: readonly SubRule[]) {}

  matches(event: unknown): boolean {
    if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
    this.root = event;
    try {
      for (const rule of this.subRules) {
        this.rule = rule;
        this.chosen.length = 0;
        if (this.from(0)) return true;
      }
      return false;
    } finally {
      this.root = undefined;
    }
  }

  private from(i: number): boolean {
    const rule = this.rule;
    if (i === rule.length) return true;
    const step = rule[i]!;
    if (step.test !== undefined && this.walk(this.root, step, 0, i)) return true;
    return step.allowsAbsent && !this.walk(this.root, step, 0, -1) && this.from(i + 1);
  }

  /**
   * Follows `step.segments` from `start`; at each leaf, with `i >= 0`, tests it
   * and continues with step `i + 1`; with `i < 0`, stops at the first leaf.
   */
  private walk(start: unknown, step: Step, k0: number, i: number): boolean {
    const segments = step.segments;
    let value = start;
    for (let k = k0; ; k += 1) {
      if (Array.isArray(value)) return this.walkArray(value, step, k, i);
      if (k === segments.length) {
        if (value === undefined || (value !== null && typeof value === "object")) return false;
        return i < 0 || (step.test!(value) && this.from(i + 1));
      }
      if (value === null || typeof value !== "object") return false;
      const key = segments[k]!;
      const next: unknown = (value as Record<string, unknown>)[key];
      if (next === undefined || (step.inheritedName && !hasOwn(value, key))) return false;
      value = next;
    }
  }

  private walkArray(array: readonly unknown[], step: Step, k: number, i: number): boolean {
    const chosen = this.chosen;
    for (let c = 0; c < chosen.length; c += 2) {
      if (chosen[c] === array) return this.walk(array[chosen[c + 1] as number], step, k, i);
    }
    const depth = chosen.length;
    for (let j = 0; j < array.length; j += 1) {
      chosen.push(array, j);
      const found = this.walk(array[j], step, k, i);
      chosen.length = depth;
      if (found) return true;
    }
    return false;
  }
}
