/**
 * Pattern JSON → sub-rules: each `$or` choice spelled out, each sub-rule a
 * list of field steps sorted by their dotted path, as AWS's library orders
 * them (the order decides what `exists: false` sees inside arrays; see
 * match.ts).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { PatternError, pathText } from "./errors";
import { ipHex } from "./ip";
import { EmptyAnythingBut, type LeafTest, type ValueMatcher, valueMatcher } from "./operators";

export interface Step {
  /** Dotted path (`detail.userIdentity.type`): the sort key. */
  readonly path: string;
  readonly segments: readonly string[];
  /** Whether the segments include a name an object inherits (`constructor`...): only own properties count. */
  readonly inheritedName: boolean;
  /** Test on one leaf value; undefined when only `exists: false` is listed. */
  readonly test?: LeafTest;
  /** `exists: false` is listed: the field may be absent. */
  readonly allowsAbsent: boolean;
}

export type SubRule = readonly Step[];

/** Beyond this many `$or` combinations a pattern is refused (EventBridge has its own, lower, limits). */
export const MAX_SUB_RULES = 10_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Validates and compiles; throws PatternError naming the path of the first problem. */
export function compileSubRules(pattern: unknown): SubRule[] {
  if (!isObject(pattern)) throw new PatternError("(pattern)", "an event pattern must be a JSON object");
  const byPath = (a: Step, b: Step): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return node(pattern, [], []).map((steps) => [...steps].sort(byPath));
}

/** Alternatives (sub-rules) of one object level: the cross product of its fields and `$or` groups. */
function node(obj: Record<string, unknown>, segments: readonly string[], where: readonly (string | number)[]): Step[][] {
  const keys = Object.keys(obj);
  if (keys.length === 0) throw new PatternError(pathText(where), "empty objects are not allowed");
  let alternatives: Step[][] = [[]];
  for (const key of keys) {
    const value = obj[key];
    const at = [...where, key];
    let options: Step[][];
    if (key === "$or") {
      options = orGroup(value, segments, at);
    } else if (Array.isArray(value)) {
      options = [[fieldStep(value, [...segments, key], at)]];
    } else if (isObject(value)) {
      options = node(value, [...segments, key], at);
    } else {
      throw new PatternError(pathText(at), "must be an array of values to match, or an object of nested fields");
    }
    const product: Step[][] = [];
    for (const left of alternatives) for (const right of options) product.push(merge(left, right));
    if (product.length > MAX_SUB_RULES) {
      throw new PatternError(pathText(at), `too many $or combinations (more than ${MAX_SUB_RULES})`);
    }
    alternatives = product;
  }
  return alternatives;
}

/**
 * Joins two parts of a sub-rule. A path both define keeps the later
 * definition, in the pattern's key order: `{"x": ["K"], "$or": [{"x": ["S"]}, ...]}`
 * asks for x = S in its first branch, as AWS's library reads it (a later key
 * replaces an earlier one in its map of fields).
 */
function merge(left: readonly Step[], right: readonly Step[]): Step[] {
  if (left.length === 0) return [...right];
  const replaced = new Set(right.map((step) => step.path));
  return [...left.filter((step) => !replaced.has(step.path)), ...right];
}

function orGroup(value: unknown, segments: readonly string[], where: readonly (string | number)[]): Step[][] {
  if (!Array.isArray(value) || value.length < 2) {
    throw new PatternError(pathText(where), "$or must be an array of at least two patterns");
  }
  return value.flatMap((branch, i) => {
    if (!isObject(branch)) throw new PatternError(pathText([...where, i]), "each $or branch must be an object");
    return node(branch, segments, [...where, i]);
  });
}

function fieldStep(list: readonly unknown[], segments: string[], where: readonly (string | number)[]): Step {
  if (list.length === 0) throw new PatternError(pathText(where), "empty arrays are not allowed");
  const exact = new Set<unknown>();
  const ips = new Set<string>();
  const tests: LeafTest[] = [];
  let allowsAbsent = false;
  let anyLeaf = false;
  let emptyExclusion: EmptyAnythingBut | undefined;
  list.forEach((element, i) => {
    if (Array.isArray(element)) throw new PatternError(pathText([...where, i]), "values cannot be nested arrays");
    let matcher: ValueMatcher;
    try {
      matcher = valueMatcher(element, pathText([...where, i]));
    } catch (err: unknown) {
      if (!(err instanceof EmptyAnythingBut)) throw err;
      emptyExclusion ??= err;
      return;
    }
    if (matcher.kind === "exists") {
      if (matcher.present) anyLeaf = true;
      else allowsAbsent = true;
    } else if (matcher.kind === "test") {
      tests.push(matcher.test);
    } else {
      const hex = typeof matcher.value === "string" ? ipHex(matcher.value) : undefined;
      if (hex !== undefined) ips.add(hex);
      else exact.add(matcher.value);
    }
  });
  if (emptyExclusion !== undefined && !allowsAbsent && !anyLeaf && exact.size === 0 && ips.size === 0 && tests.length === 0) {
    throw emptyExclusion;
  }
  return {
    path: segments.join("."),
    segments,
    inheritedName: segments.some((s) => s in Object.prototype),
    allowsAbsent,
    ...(anyLeaf || exact.size > 0 || ips.size > 0 || tests.length > 0 ? { test: leafTest(anyLeaf, exact, ips, tests) } : {}),
  };
}

/** One test for the whole list: any listed value or operator accepting the leaf. */
function leafTest(anyLeaf: boolean, exact: Set<unknown>, ips: Set<string>, tests: LeafTest[]): LeafTest {
  if (anyLeaf) return () => true;
  if (ips.size === 0 && tests.length === 0) return (v) => exact.has(v);
  if (ips.size === 0 && exact.size === 0 && tests.length === 1) return tests[0]!;
  return (v) => {
    if (exact.has(v)) return true;
    if (ips.size > 0 && typeof v === "string") {
      const hex = ipHex(v);
      if (hex !== undefined && ips.has(hex)) return true;
    }
    for (const test of tests) if (test(v)) return true;
    return false;
  };
}
