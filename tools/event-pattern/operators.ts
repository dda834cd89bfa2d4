/**
 * One element of a field's value list: an exact value or an operator object.
 * Each becomes a test on one leaf value of the event (a string, number,
 * boolean or null), or says that the field may be absent.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *
 * Validation follows what AWS's library accepts (checked against it, see
 * tools/event-pattern/README.md): one key per operator object, the operand
 * types below, numeric ranges as [lower, n, upper, n] with lower < upper.
 */
import { PatternError } from "./errors";
import { caseAlternatives, endsIgnoringCase, equalsIgnoringCase, startsIgnoringCase } from "./ignore-case";
import { type CidrBlock, inBlock, ipHex, parseCidr } from "./ip";
import { matchesWildcard, parseWildcard } from "./wildcard";

export type LeafTest = (value: unknown) => boolean;

/** `anything-but` with an empty prefix/suffix/wildcard/equals-ignore-case list. */
export class EmptyAnythingBut extends PatternError {
  constructor(where: string) {
    super(where, "the list must not be empty");
  }
}

export type ValueMatcher =
  /** A JSON string, number, boolean or null in the pattern: equal values match (IP addresses by address). */
  | { readonly kind: "exact"; readonly value: string | number | boolean | null }
  | { readonly kind: "test"; readonly test: LeafTest }
  /** `{"exists": true|false}`. */
  | { readonly kind: "exists"; readonly present: boolean };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";

/** Compiles one element of a value list; `where` names it in errors. */
export function valueMatcher(element: unknown, where: string): ValueMatcher {
  if (element === null || typeof element === "string" || typeof element === "boolean") return { kind: "exact", value: element };
  if (typeof element === "number") return { kind: "exact", value: element };
  if (!isObject(element)) {
    throw new PatternError(where, "a value must be a string, number, true, false, null or an operator object such as {\"prefix\": \"...\"}");
  }
  const [operator, operand] = single(element, where, "operator");
  const at = `${where}.${operator}`;
  switch (operator) {
    case "prefix":
    case "suffix":
      return { kind: "test", test: affixTest(operator, operand, at) };
    case "equals-ignore-case": {
      const alts = caseAlternatives(text(operand, at));
      return { kind: "test", test: (v) => isString(v) && equalsIgnoringCase(alts, v) };
    }
    case "wildcard": {
      const pieces = wildcard(text(operand, at), at);
      return { kind: "test", test: (v) => isString(v) && matchesWildcard(pieces, v) };
    }
    case "exactly": {
      // Not in the AWS documentation, but AWS's library accepts it: an exact string.
      const exact = text(operand, at);
      return { kind: "test", test: (v) => v === exact };
    }
    case "exists":
      if (typeof operand !== "boolean") throw new PatternError(at, "must be true or false");
      return { kind: "exists", present: operand };
    case "numeric":
      return { kind: "test", test: numericTest(operand, at) };
    case "cidr": {
      let block: CidrBlock;
      try {
        block = parseCidr(text(operand, at));
      } catch (err: unknown) {
        throw err instanceof PatternError ? err : new PatternError(at, (err as Error).message);
      }
      return { kind: "test", test: (v) => isString(v) && ipInBlock(block, v) };
    }
    case "anything-but":
      return { kind: "test", test: anythingBut(operand, at) };
    default:
      throw new PatternError(
        at,
        "unknown operator: use prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists or cidr",
      );
  }
}

const ipInBlock = (block: ReturnType<typeof parseCidr>, v: string): boolean => {
  const hex = ipHex(v);
  return hex !== undefined && inBlock(block, hex);
};

function single(obj: Record<string, unknown>, where: string, what: string): [string, unknown] {
  const keys = Object.keys(obj);
  if (keys.length !== 1) throw new PatternError(where, `an ${what} object must have exactly one key, it has ${keys.length}`);
  return [keys[0]!, obj[keys[0]!]];
}

function text(operand: unknown, where: string): string {
  if (!isString(operand)) throw new PatternError(where, "must be a string");
  return operand;
}

function wildcard(pattern: string, where: string): readonly string[] {
  try {
    return parseWildcard(pattern);
  } catch (err: unknown) {
    throw new PatternError(where, (err as Error).message);
  }
}

/** `prefix`/`suffix`: a string, or `{"equals-ignore-case": "..."}`. */
function affixTest(operator: "prefix" | "suffix", operand: unknown, where: string): LeafTest {
  if (isObject(operand)) {
    const [inner, value] = single(operand, where, `${operator}`);
    if (inner !== "equals-ignore-case") throw new PatternError(`${where}.${inner}`, `${operator} takes a string or {"equals-ignore-case": "..."}`);
    const alts = caseAlternatives(text(value, `${where}.${inner}`));
    return operator === "prefix"
      ? (v) => isString(v) && startsIgnoringCase(alts, v)
      : (v) => isString(v) && endsIgnoringCase(alts, v);
  }
  const affix = text(operand, where);
  return operator === "prefix" ? (v) => isString(v) && v.startsWith(affix) : (v) => isString(v) && v.endsWith(affix);
}

const LOWER = new Set([">", ">="]);
const UPPER = new Set(["<", "<="]);

/** `{"numeric": ["=", n]}`, `[op, n]` or `[lower-op, n, upper-op, n]`; only JSON numbers match. */
function numericTest(operand: unknown, where: string): LeafTest {
  if (!Array.isArray(operand)) throw new PatternError(where, 'must be an array such as [">", 0, "<=", 5]');
  const term = (i: number): [string, number] => {
    const op = operand[i];
    const n = operand[i + 1];
    if (typeof op !== "string" || !["=", "<", "<=", ">", ">="].includes(op)) {
      throw new PatternError(`${where}[${i}]`, 'must be one of "=", "<", "<=", ">", ">="');
    }
    if (typeof n !== "number" || !Number.isFinite(n)) throw new PatternError(`${where}[${i + 1}]`, `the operand of ${op} must be a number`);
    return [op, n];
  };
  if (operand.length === 2) {
    const [op, n] = term(0);
    const compare: Record<string, LeafTest> = {
      "=": (v) => v === n,
      "<": (v) => typeof v === "number" && v < n,
      "<=": (v) => typeof v === "number" && v <= n,
      ">": (v) => typeof v === "number" && v > n,
      ">=": (v) => typeof v === "number" && v >= n,
    };
    return compare[op]!;
  }
  if (operand.length !== 4) throw new PatternError(where, 'must have one comparison [op, n] or a range [">", low, "<", high]');
  const [lowOp, low] = term(0);
  const [highOp, high] = term(2);
  if (!LOWER.has(lowOp) || !UPPER.has(highOp)) {
    throw new PatternError(where, 'a range is a lower bound (">" or ">=") then an upper bound ("<" or "<=")');
  }
  if (!(low < high)) throw new PatternError(where, `the lower bound ${low} must be less than the upper bound ${high}`);
  const lowOpen = lowOp === ">";
  const highOpen = highOp === "<";
  return (v) =>
    typeof v === "number" && (lowOpen ? v > low : v >= low) && (highOpen ? v < high : v <= high);
}

/**
 * `anything-but`: a string, a number, a list of strings or of numbers, or one
 * of prefix / suffix / wildcard / equals-ignore-case (each with a string or a
 * list). A leaf of another type always matches (a number is "anything but"
 * any string), as in AWS's library; an absent field never does.
 */
function anythingBut(operand: unknown, where: string): LeafTest {
  if (isString(operand)) return (v) => v !== operand;
  if (typeof operand === "number") {
    if (!Number.isFinite(operand)) throw new PatternError(where, "must be a finite number");
    return (v) => v !== operand;
  }
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new PatternError(where, "the list must not be empty");
    const allStrings = operand.every(isString);
    const allNumbers = operand.every((x) => typeof x === "number" && Number.isFinite(x));
    if (!allStrings && !allNumbers) throw new PatternError(where, "the list must hold only strings or only numbers");
    const excluded = new Set<unknown>(operand);
    return (v) => !excluded.has(v);
  }
  if (!isObject(operand)) throw new PatternError(where, "must be a string, a number, a list, or an object such as {\"prefix\": \"...\"}");
  const [inner, value] = single(operand, where, "anything-but");
  const at = `${where}.${inner}`;
  const texts = (allowEmpty: boolean): string[] => {
    const list = Array.isArray(value) ? value : [value];
    // AWS's library accepts an empty list here only beside another value of the field, and it then
    // excludes nothing and matches nothing; alone, it refuses the pattern (see fieldStep in compile.ts).
    if (list.length === 0) throw new EmptyAnythingBut(at);
    return list.map((item, i) => {
      const s = text(item, Array.isArray(value) ? `${at}[${i}]` : at);
      if (!allowEmpty && s === "") throw new PatternError(at, "must not be empty");
      return s;
    });
  };
  switch (inner) {
    case "prefix": {
      const list = texts(false);
      return (v) => !(isString(v) && list.some((p) => v.startsWith(p)));
    }
    case "suffix": {
      const list = texts(false);
      return (v) => !(isString(v) && list.some((p) => v.endsWith(p)));
    }
    case "wildcard": {
      const list = texts(true).map((w, i) => wildcard(w, Array.isArray(value) ? `${at}[${i}]` : at));
      return (v) => !(isString(v) && list.some((w) => matchesWildcard(w, v)));
    }
    case "equals-ignore-case": {
      const list = texts(true).map(caseAlternatives);
      return (v) => !(isString(v) && list.some((alts) => equalsIgnoringCase(alts, v)));
    }
    default:
      throw new PatternError(at, "anything-but takes prefix, suffix, wildcard or equals-ignore-case here");
  }
}
