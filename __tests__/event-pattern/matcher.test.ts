/**
 * The EventBridge pattern language, operator by operator, as
 * tools/event-pattern implements it. The differential test checks the same
 * against AWS's own library at scale; these say what the rules are.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { describe, expect, it } from "vitest";
import { compilePattern, patternProblem, PatternError } from "../../tools/event-pattern";

const matches = (pattern: unknown, event: unknown): boolean => compilePattern(pattern).matches(event);
const detail = (fields: Record<string, unknown>): unknown => ({ source: "aws.iam", "detail-type": "AWS API Call via CloudTrail", detail: fields });

describe("exact values", () => {
  it("match equal strings, numbers, booleans and null, each only its own type", () => {
    expect(matches({ detail: { s: ["a"] } }, detail({ s: "a" }))).toBe(true);
    expect(matches({ detail: { s: ["5"] } }, detail({ s: 5 }))).toBe(false);
    expect(matches({ detail: { n: [5] } }, detail({ n: 5.0 }))).toBe(true);
    expect(matches({ detail: { b: [true] } }, detail({ b: "true" }))).toBe(false);
    expect(matches({ detail: { z: [null] } }, detail({ z: null }))).toBe(true);
    expect(matches({ detail: { z: [""] } }, detail({ z: "" }))).toBe(true);
  });

  it("list alternatives: any listed value matches", () => {
    expect(matches({ source: ["aws.s3", "aws.iam"] }, detail({}))).toBe(true);
  });

  it("compare IP addresses as addresses, however they are written", () => {
    expect(matches({ detail: { ip: ["2001:db8::1"] } }, detail({ ip: "2001:DB8:0:0::1" }))).toBe(true);
    expect(matches({ detail: { ip: ["10.0.0.5"] } }, detail({ ip: "::ffff:a00:5" }))).toBe(true);
  });
});

describe("string operators", () => {
  it("prefix and suffix match strings only", () => {
    expect(matches({ detail: { k: [{ prefix: "Delete" }] } }, detail({ k: "DeleteTrail" }))).toBe(true);
    expect(matches({ detail: { k: [{ suffix: ".png" }] } }, detail({ k: "a.PNG" }))).toBe(false);
    expect(matches({ detail: { k: [{ prefix: "" }] } }, detail({ k: 5 }))).toBe(false);
  });

  it("equals-ignore-case, also inside prefix and suffix, folds each pattern character to its lower or upper case", () => {
    expect(matches({ detail: { k: [{ "equals-ignore-case": "straße" }] } }, detail({ k: "STRASSE" }))).toBe(true);
    expect(matches({ detail: { k: [{ "equals-ignore-case": "σ" }] } }, detail({ k: "ς" }))).toBe(false);
    expect(matches({ detail: { k: [{ prefix: { "equals-ignore-case": "get" } }] } }, detail({ k: "GetObject" }))).toBe(true);
    expect(matches({ detail: { k: [{ suffix: { "equals-ignore-case": "POLICY" } }] } }, detail({ k: "PutBucketPolicy" }))).toBe(true);
  });

  it("wildcard: * is any run of characters, \\* a star, \\\\ a backslash", () => {
    expect(matches({ detail: { k: [{ wildcard: "*SecurityGroup*" }] } }, detail({ k: "AuthorizeSecurityGroupIngress" }))).toBe(true);
    expect(matches({ detail: { k: [{ wildcard: "a*b*c" }] } }, detail({ k: "abc" }))).toBe(true);
    expect(matches({ detail: { k: [{ wildcard: "a\\*b" }] } }, detail({ k: "a*b" }))).toBe(true);
    expect(matches({ detail: { k: [{ wildcard: "a\\*b" }] } }, detail({ k: "axb" }))).toBe(false);
  });
});

describe("anything-but", () => {
  it("matches a present value outside the list, of any type; never an absent field", () => {
    const pattern = { detail: { state: [{ "anything-but": ["stopped", "terminated"] }] } };
    expect(matches(pattern, detail({ state: "running" }))).toBe(true);
    expect(matches(pattern, detail({ state: "stopped" }))).toBe(false);
    expect(matches(pattern, detail({ state: 5 }))).toBe(true);
    expect(matches(pattern, detail({}))).toBe(false);
  });

  it("takes prefix, suffix, wildcard and equals-ignore-case, each with one value or a list", () => {
    expect(matches({ region: [{ "anything-but": { prefix: "us-" } }] }, { region: "eu-west-1" })).toBe(true);
    expect(matches({ f: [{ "anything-but": { suffix: [".png", ".jpg"] } }] }, { f: "a.jpg" })).toBe(false);
    expect(matches({ f: [{ "anything-but": { wildcard: "*/lib/*" } }] }, { f: "/usr/lib/x" })).toBe(false);
    expect(matches({ s: [{ "anything-but": { "equals-ignore-case": "initializing" } }] }, { s: "INITIALIZING" })).toBe(false);
  });
});

describe("exists, numeric, cidr", () => {
  it("exists looks at leaves: null is present, an object is not", () => {
    expect(matches({ detail: { x: [{ exists: true }] } }, detail({ x: null }))).toBe(true);
    expect(matches({ detail: { x: [{ exists: true }] } }, detail({ x: { y: 1 } }))).toBe(false);
    expect(matches({ detail: { x: [{ exists: false }] } }, detail({ x: { y: 1 } }))).toBe(true);
    expect(matches({ detail: { x: [{ exists: false }] } }, detail({ x: [] }))).toBe(true);
  });

  it("numeric compares JSON numbers with one bound or a range", () => {
    const pattern = { detail: { n: [{ numeric: [">", 0, "<=", 5] }] } };
    expect([0, 0.5, 5, 5.0001, "3"].map((n) => matches(pattern, detail({ n })))).toEqual([false, true, true, false, false]);
    expect(matches({ detail: { n: [{ numeric: ["=", 3.018e2] }] } }, detail({ n: 301.8 }))).toBe(true);
  });

  it("cidr matches IPv4 and IPv6 addresses in the block", () => {
    expect(matches({ detail: { ip: [{ cidr: "10.0.0.0/24" }] } }, detail({ ip: "10.0.0.77" }))).toBe(true);
    expect(matches({ detail: { ip: [{ cidr: "10.0.0.0/24" }] } }, detail({ ip: "10.0.1.1" }))).toBe(false);
    expect(matches({ detail: { ip: [{ cidr: "2001:db8::/32" }] } }, detail({ ip: "2001:DB8::1" }))).toBe(true);
    expect(matches({ detail: { ip: [{ cidr: "10.0.0.0/8" }] } }, detail({ ip: "not an address" }))).toBe(false);
  });
});

describe("$or and nesting", () => {
  it("$or at any level: one branch must match, with the fields beside it", () => {
    const pattern = { source: ["aws.iam"], detail: { $or: [{ a: ["1"] }, { b: [{ numeric: [">", 10] }] }] } };
    expect(matches(pattern, detail({ b: 11 }))).toBe(true);
    expect(matches(pattern, detail({ a: "2", b: 5 }))).toBe(false);
    expect(matches({ $or: [{ source: ["aws.s3"] }, { "detail-type": ["AWS API Call via CloudTrail"] }] }, detail({}))).toBe(true);
  });

  it("a field an $or branch repeats takes the branch's values, as AWS's library reads it", () => {
    const pattern = { x: ["K"], $or: [{ x: ["S"] }, { y: ["1"] }] };
    expect(matches(pattern, { x: "S" })).toBe(true);
    expect(matches(pattern, { x: "K" })).toBe(false);
    expect(matches(pattern, { x: "K", y: "1" })).toBe(true);
  });
});

describe("arrays in events", () => {
  it("an array matches when any element does, at any depth", () => {
    expect(matches({ resources: [{ prefix: "arn:aws:ec2:" }] }, { resources: ["x", "arn:aws:ec2:us-east-1:1:instance/i"] })).toBe(true);
    expect(matches({ a: ["x"] }, { a: [["y"], [["x"]]] })).toBe(true);
  });

  it("fields must come from the same element of an array of objects", () => {
    const people = { employees: [{ first: "Anna", last: "Smith" }, { first: "Peter", last: "Jones" }] };
    expect(matches({ employees: { first: ["Anna"], last: ["Smith"] } }, people)).toBe(true);
    expect(matches({ employees: { first: ["Anna"], last: ["Jones"] } }, people)).toBe(false);
  });

  it("exists:false sees the elements chosen by the fields before it in path order", () => {
    const event = { emp: [{ first: "Anna" }, { first: "Bob", aaa: 1, zzz: 1 }] };
    // emp.first is decided first, so emp.zzz is looked for in Anna's element only ...
    expect(matches({ emp: { first: ["Anna"], zzz: [{ exists: false }] } }, event)).toBe(true);
    // ... while emp.aaa sorts before emp.first, and is looked for in every element.
    expect(matches({ emp: { first: ["Anna"], aaa: [{ exists: false }] } }, event)).toBe(false);
  });

  it("only own properties count: a field named constructor is not Object's", () => {
    expect(matches({ constructor: [{ exists: true }] }, {})).toBe(false);
    expect(matches({ constructor: [{ exists: false }] }, {})).toBe(true);
  });
});

describe("validation", () => {
  it.each([
    ["an array", [], "(pattern): an event pattern must be a JSON object"],
    ["an empty object", { detail: {} }, "detail: empty objects are not allowed"],
    ["a bare value", { source: "aws.iam" }, "source: must be an array of values to match, or an object of nested fields"],
    ["an empty list", { source: [] }, "source: empty arrays are not allowed"],
    ["a one-branch $or", { $or: [{ a: ["1"] }] }, "$or: $or must be an array of at least two patterns"],
    ["an unknown operator", { detail: { k: [{ regex: "a.*" }] } }, "detail.k[0].regex: unknown operator"],
    ["two keys in an operator", { k: [{ prefix: "a", suffix: "b" }] }, "k[0]: an operator object must have exactly one key, it has 2"],
    ["a non-string prefix", { detail: { eventName: ["A", { prefix: 5 }] } }, "detail.eventName[1].prefix: must be a string"],
    ["a mixed anything-but list", { k: [{ "anything-but": ["a", 1] }] }, "k[0].anything-but: the list must hold only strings or only numbers"],
    ["an empty anything-but prefix", { k: [{ "anything-but": { prefix: "" } }] }, "k[0].anything-but.prefix: must not be empty"],
    ["an inverted range", { n: [{ numeric: [">", 5, "<", 1] }] }, "n[0].numeric: the lower bound 5 must be less than the upper bound 1"],
    ["an upper bound first", { n: [{ numeric: ["<", 5, ">", 1] }] }, 'n[0].numeric: a range is a lower bound (">" or ">=") then an upper bound ("<" or "<=")'],
    ["a /32 block", { ip: [{ cidr: "10.0.0.1/32" }] }, "ip[0].cidr: mask bits must be less than 32; for a single address write the address itself"],
    ["two stars in a row", { k: [{ wildcard: "a**" }] }, "k[0].wildcard: two wildcard characters in a row at position 2"],
    ["an unknown escape", { k: [{ wildcard: "a\\b" }] }, "k[0].wildcard: invalid escape at position 2"],
    ["exists with a string", { k: [{ exists: "true" }] }, "k[0].exists: must be true or false"],
    ["invalid JSON text", '{"source": [', "(pattern): not valid JSON"],
  ])("refuses %s, naming where", (_, pattern, message) => {
    const problem = patternProblem(pattern);
    expect(problem).toBeInstanceOf(PatternError);
    expect(problem?.message.startsWith(message)).toBe(true);
  });

  it("accepts every documented form", () => {
    const pattern = {
      source: ["aws.ec2", { prefix: "aws." }, { suffix: ".ec2" }, { "equals-ignore-case": "AWS.EC2" }, { wildcard: "aws.*" }],
      detail: {
        a: [{ "anything-but": "x" }, { "anything-but": 5 }, { "anything-but": ["x", "y"] }, { "anything-but": [1, 2] }],
        b: [{ "anything-but": { prefix: "x" } }, { "anything-but": { suffix: ["x"] } }, { "anything-but": { wildcard: "*x" } }],
        c: [{ exists: true }, { numeric: ["=", 1] }, { numeric: [">=", 0, "<", 1] }, { cidr: "::/1" }, null, true, 1.5],
        $or: [{ d: ["1"] }, { e: { f: ["2"] } }],
      },
    };
    expect(patternProblem(pattern)).toBeUndefined();
    expect(patternProblem(JSON.stringify(pattern))).toBeUndefined();
  });
});
