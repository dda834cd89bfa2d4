/**
 * fast-check generators of EventBridge patterns and events for the
 * differential test. Both draw keys and values from small shared pools, so
 * that a useful share of (pattern, event) pairs match, and so that every
 * operator meets the values that tell implementations apart: numbers and
 * strings that look alike, IP addresses written two ways, case-folding
 * corner cases, arrays of objects, null, keys around "." in sort order.
 * Some generated patterns are invalid on purpose (a bad operand, an empty
 * list, a one-branch $or...), to compare validation too.
 *
 * Kept apart, because AWS's library misbehaves there (README of
 * tools/event-pattern, "Known differences"): `wildcard` lives on the key "w"
 * only, so it never shares a field with `equals-ignore-case`; `cidr` lives on
 * the key "ip" only, whose event values are strings; anything-but lists are
 * never empty. Also left out: keys containing "." and numbers whose JSON text
 * has more digits than a double keeps (documented deviations).
 */
import fc from "fast-check";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** "-" < "." < letters: paths "a-b", "a.b", "ab" sort in that order, which decides what exists:false sees. */
const KEYS = ["a", "b", "c", "a-b", "ab", "constructor"] as const;
/** Keys of the two kept-apart families: wildcards, and IP addresses. */
const W = "w";
const IP = "ip";

const ADDRESSES = ["10.0.0.5", "10.0.1.7", "010.000.000.005", "192.168.1.1", "2001:db8::1", "2001:DB8:0::1", "a00::1", "::ffff:a00:5"] as const;
const STRINGS = [
  "", "a", "A", "ab", "abc", "Abc", "b", "ba", "bab", "x-y", "straße", "STRASSE", "σ", "Σ", "ς", "K", "\u212a",
  "*", "a*b", "a\\b", "5", "true", "null", ...ADDRESSES,
] as const;
const NUMBERS = [0, 1, -1, 5, 5.5, 100, 1e9, -2.5, 0.1, 1e-7, 7e9] as const;

const str = fc.constantFrom(...STRINGS);
const leaf: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: str },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
);

const address = fc.constantFrom<Json>(...ADDRESSES, "10.0.0", "a", "::ffff:10.0.0.5");

/** Events: objects of keys from the pool; values are leaves, arrays (of leaves, objects or arrays) or objects. */
export const eventArb: fc.Arbitrary<Record<string, Json>> = fc.letrec<{ obj: Record<string, Json>; value: Json }>((tie) => ({
  obj: fc
    .tuple(
      fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { minKeys: 2, maxKeys: 6, depthIdentifier: "event" }),
      fc.option(fc.oneof(address, fc.array(address, { maxLength: 3 })), { nil: undefined }),
      fc.option(fc.oneof(str, fc.array(str, { maxLength: 3 })), { nil: undefined }),
    )
    .map(([fields, ip, w]) => ({ ...fields, ...(ip !== undefined ? { [IP]: ip } : {}), ...(w !== undefined ? { [W]: w } : {}) })),
  value: fc.oneof(
    { depthSize: "small", depthIdentifier: "event", maxDepth: 3 },
    { weight: 5, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(fc.oneof(leaf, tie("obj"), fc.array(leaf, { maxLength: 2 })), { maxLength: 3 }) },
    { weight: 2, arbitrary: tie("obj") },
  ),
})).obj;

const affix = fc.constantFrom("", "a", "A", "b", "ab", "St", "10.0.", "2001:", "\u00df", "SS");
const wildcards = fc.constantFrom("*", "", "a*", "*b", "a*b", "*a*", "a\\*b", "a\\\\b", "10.*", "*.5");
const cidrs = fc.constantFrom(
  "10.0.0.0/8", "10.0.0.0/24", "10.0.0.77/24", "192.168.0.0/16", "2001:db8::/32", "a00::/8", "::/1", "10.0.0.0/13", "010.0.0.0/08",
);
const number = fc.constantFrom(...NUMBERS);
const numeric = fc.oneof(
  fc.tuple(fc.constantFrom("=", "<", "<=", ">", ">="), number),
  fc.tuple(fc.constantFrom(">", ">="), number, fc.constantFrom("<", "<="), number),
);
const oneOrList = <T>(item: fc.Arbitrary<T>): fc.Arbitrary<T | T[]> => fc.oneof(item, fc.array(item, { minLength: 1, maxLength: 3 }));
const anythingBut = fc.oneof(
  str,
  number,
  fc.array(str, { minLength: 1, maxLength: 3 }),
  fc.array(number, { minLength: 1, maxLength: 3 }),
  fc.record({ prefix: oneOrList(affix.filter((a) => a !== "")) }),
  fc.record({ suffix: oneOrList(affix.filter((a) => a !== "")) }),
  fc.record({ "equals-ignore-case": oneOrList(str) }),
);

/** Operands and shapes AWS's library refuses (or, for an empty anything-but list, accepts only beside another value). */
const malformed = fc.constantFrom<Json>(
  { prefix: 5 }, { prefix: "a", suffix: "b" }, {}, { regex: "a.*" }, ["a"], { exists: "true" }, { "equals-ignore-case": ["a"] },
  { wildcard: "a**" }, { wildcard: "a\\b" }, { wildcard: "a\\" }, { cidr: "10.0.0.0/32" }, { cidr: "::1/128" }, { cidr: "10.0.0.1" },
  { cidr: "300.0.0.0/8" }, { cidr: " 10.0.0.0/8" }, { cidr: "::ffff:10.0.0.0/120" }, { numeric: ["!=", 1] }, { numeric: ["<", 5, ">", 1] },
  { numeric: [">", 5, "<", 5] }, { numeric: ["=", 5, "<", 6] }, { numeric: [">"] }, { numeric: 5 }, { numeric: [">", "5"] },
  { "anything-but": [] }, { "anything-but": ["a", 1] }, { "anything-but": null }, { "anything-but": [null] }, { "anything-but": true },
  { "anything-but": { prefix: "" } }, { "anything-but": { numeric: [">", 1] } }, { "anything-but": { prefix: "a", suffix: "b" } },
  { "anything-but": { prefix: { "equals-ignore-case": "a" } } }, { exactly: "a" },
);

/** One element of a value list. */
const matcher: fc.Arbitrary<Json> = fc.oneof(
  { weight: 24, arbitrary: leaf },
  { weight: 3, arbitrary: fc.record({ prefix: fc.oneof(affix, fc.record({ "equals-ignore-case": affix })) }) },
  { weight: 3, arbitrary: fc.record({ suffix: fc.oneof(affix, fc.record({ "equals-ignore-case": affix })) }) },
  { weight: 3, arbitrary: fc.record({ "equals-ignore-case": str }) },
  { weight: 6, arbitrary: fc.record({ "anything-but": anythingBut }) as fc.Arbitrary<Json> },
  { weight: 4, arbitrary: fc.record({ numeric }) as fc.Arbitrary<Json> },
  { weight: 5, arbitrary: fc.record({ exists: fc.boolean() }) },
  { weight: 2, arbitrary: malformed },
);

/** Value lists of the "w" key: wildcards beside exact strings, prefixes, suffixes, exists. */
const wMatcher: fc.Arbitrary<Json> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ wildcard: wildcards }) },
  { weight: 6, arbitrary: fc.record({ "anything-but": fc.record({ wildcard: oneOrList(wildcards) }) }) as fc.Arbitrary<Json> },
  { weight: 6, arbitrary: str },
  { weight: 2, arbitrary: fc.record({ prefix: affix }) },
  { weight: 2, arbitrary: fc.record({ suffix: affix }) },
  { weight: 2, arbitrary: fc.record({ exists: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constantFrom<Json>({ wildcard: "a**" }, { wildcard: "a\\b" }, { wildcard: "a\\" }, { wildcard: 5 }) },
);

/** Value lists of the "ip" key: CIDR blocks beside addresses (exact, anything-but), prefixes, exists. */
const ipMatcher: fc.Arbitrary<Json> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ cidr: cidrs }) },
  { weight: 6, arbitrary: address },
  { weight: 2, arbitrary: fc.record({ "anything-but": fc.oneof(address, fc.array(address, { minLength: 1, maxLength: 2 })) }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: fc.record({ prefix: fc.constantFrom("10.", "2001:") }) },
  { weight: 2, arbitrary: fc.record({ exists: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Json>(
      { cidr: "10.0.0.0/32" }, { cidr: "::1/128" }, { cidr: "10.0.0.1" }, { cidr: "300.0.0.0/8" }, { cidr: " 10.0.0.0/8" },
      { cidr: "::ffff:10.0.0.0/120" }, { cidr: 5 },
    ),
  },
);

/** Patterns: nested objects of value lists, with $or groups; a few malformed on purpose. */
export const patternArb: fc.Arbitrary<Record<string, Json>> = fc.letrec<{ node: Record<string, Json>; field: Json }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", depthIdentifier: "pattern", maxDepth: 3 },
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          fc.dictionary(fc.constantFrom(...KEYS), tie("field"), { minKeys: 1, maxKeys: 2, depthIdentifier: "pattern" }),
          fc.option(fc.array(ipMatcher, { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 5 }),
          fc.option(fc.array(wMatcher, { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 5 }),
        )
        .map(([fields, ip, w]) => ({ ...fields, ...(ip !== undefined ? { [IP]: ip } : {}), ...(w !== undefined ? { [W]: w } : {}) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.dictionary(fc.constantFrom(...KEYS), tie("field"), { minKeys: 0, maxKeys: 2, depthIdentifier: "pattern" }),
          // One branch is refused ($or needs two): now and then.
          fc.oneof(
            { weight: 12, arbitrary: fc.array(tie("node"), { minLength: 2, maxLength: 3 }) },
            { weight: 1, arbitrary: fc.array(tie("node"), { maxLength: 1 }) },
          ),
        )
        .map(([fields, branches]) => ({ ...fields, $or: branches })),
    },
  ) as fc.Arbitrary<Record<string, Json>>,
  field: fc.oneof(
    { depthSize: "small", depthIdentifier: "pattern", maxDepth: 3 },
    { weight: 20, arbitrary: fc.array(matcher, { minLength: 1, maxLength: 3 }) },
    { weight: 8, arbitrary: tie("node") },
    { weight: 1, arbitrary: fc.constantFrom<Json>([], {}, "a", 5, null, [[]]) },
  ),
})).node;
