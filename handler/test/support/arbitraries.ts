/**
 * fast-check generators for hostile events, written as JSON text and parsed
 * the way Lambda's runtime does (so `"__proto__"` keys are own properties and
 * `\ud800` is a lone surrogate), and for mutations of the CloudTrail corpus.
 */
import fc from "fast-check";
import { loadSampleFiles, toEventBridgeEvent, type CloudTrailRecord } from "./samples.js";

/** Pieces that broke or fooled the notifier before, or plausibly could. */
const PALETTE = [
  "\ud800", "\udc00", "\u202e", "\u2066", "\u200f", "\u061c", "\u2028", "\u2029", "\u3164", "\u115f", "\uffa0", "\ufeff",
  "\u200b", "\u00ad", "\u034f", "\ufe0f", "\u{e0041}", "\ufdfa", "\uffff", "\ufffe", "\ufdd0", "\u{1fffe}", "\u{10ffff}",
  "\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009b", "\u00a0", "\u3000", "\u2800", "\u0301", "\r", "\n", "\t",
  '"', "\\", "'", "<", "&", ".", "@", ":", "/", "://", "https://", "\u3002", "\uff0e", "root", "Root", "(Root)", "ｒｏｏｔ",
  "__proto__", "constructor", "toString", "é", "\u{1F600}", "example.com", "a@b.example", "[.]", "...", " by root in ",
  "\nOutcome:      success", "*** ROOT USER ACTIVITY ***", "%", "%ZZ", "x",
];

const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PALETTE) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
  { weight: 3, arbitrary: fc.constantFrom("a", "b", "-", "_", "1", " ") },
);

const shortString = fc.string({ unit, maxLength: 24 });

/** Up to ~100,000 UTF-16 units: one piece repeated between two short strings (the reproducers cover larger). */
const longString = fc
  .tuple(fc.constantFrom(...PALETTE, "x", "\u20ac"), fc.integer({ min: 500, max: 100_000 }), shortString, shortString)
  .map(([piece, n, before, after]) => before + piece.repeat(Math.max(1, Math.floor(n / piece.length))) + after);

export const hostileString = fc.oneof({ weight: 12, arbitrary: shortString }, { weight: 1, arbitrary: longString });

/** JSON values; objects built with Object.fromEntries, which defines "__proto__" as an own key. */
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("json"), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(shortString, fc.constantFrom("__proto__", "constructor")), tie("json")), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
  ),
}));
export const jsonValue = json;

/** Placeholder replaced by deeply nested JSON text after JSON.stringify (which would recurse). */
const DEEP = "\u0000deep\u0000";
const deepText = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom("[", '{"k":', '{"__proto__":'), fc.constantFrom("0", '"x"', "[]", "{}"))
  .map(([depth, open, leaf]) => open.repeat(depth) + leaf + (open === "[" ? "]" : "}").repeat(depth));

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const USER_TYPES = ["Root", "IAMUser", "AssumedRole", "FederatedUser", "SAMLUser", "WebIdentityUser", "AWSService", "AWSAccount", "IdentityCenterUser", "Unknown"];

const userIdentity = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...USER_TYPES), hostileString),
    userName: hostileString,
    arn: hostileString,
    principalId: hostileString,
    invokedBy: hostileString,
    accountId: hostileString,
    accessKeyId: hostileString,
    sessionContext: fc.record({ sessionIssuer: fc.record({ userName: hostileString, arn: hostileString }, { requiredKeys: [] }) }),
  },
  { requiredKeys: [] },
);

const record = fc.record(
  {
    eventName: fc.oneof(fc.constantFrom("CreateUser", "ConsoleLogin", "StopLogging"), hostileString),
    eventSource: fc.oneof(fc.constantFrom("iam.amazonaws.com", "signin.amazonaws.com"), hostileString),
    eventID: hostileString,
    eventTime: hostileString,
    errorCode: hostileString,
    errorMessage: hostileString,
    userAgent: hostileString,
    sourceIPAddress: hostileString,
    awsRegion: hostileString,
    recipientAccountId: hostileString,
    userIdentity: fc.oneof({ weight: 4, arbitrary: userIdentity }, { weight: 1, arbitrary: jsonValue }),
    requestParameters: fc.oneof({ weight: 3, arbitrary: jsonValue }, { weight: 1, arbitrary: fc.constant(DEEP) }),
    responseElements: jsonValue,
    resources: fc.array(fc.record({ ARN: hostileString }), { maxLength: 4 }),
  },
  { requiredKeys: [] },
);

const DETAIL_TYPES = ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail", "AWS Service Event via CloudTrail"];

const envelope = fc.record(
  {
    version: fc.constant("0"),
    id: hostileString,
    "detail-type": fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...DETAIL_TYPES) }, { weight: 1, arbitrary: hostileString }),
    source: fc.oneof(fc.constantFrom("aws.iam", "aws.signin", "aws.sts"), hostileString),
    account: hostileString,
    region: hostileString,
    time: hostileString,
    detail: fc.oneof({ weight: 6, arbitrary: record }, { weight: 1, arbitrary: jsonValue }),
  },
  { requiredKeys: ["detail-type"] },
);

const labels = maybe(fc.record({ preset: fc.oneof(fc.constant("iam-persistence"), hostileString), severity: fc.constantFrom("critical", "high", "medium", "urgent") }));

/** `{ text, event }`: the JSON text Lambda would receive and the event it parses to. */
export interface Delivered {
  readonly text: string;
  readonly event: unknown;
}

function deliver(value: unknown, deep: string): Delivered {
  const text = JSON.stringify(value).replace(JSON.stringify(DEEP), deep);
  return { text, event: JSON.parse(text) };
}

/** A hostile EventBridge event, sometimes in the rules' label wrapper, sometimes not even an object. */
export const hostileEvent: fc.Arbitrary<Delivered> = fc
  .tuple(fc.oneof({ weight: 8, arbitrary: envelope }, { weight: 1, arbitrary: jsonValue }), labels, deepText)
  .map(([event, label, deep]) => deliver(label === undefined ? event : { ...label, event }, deep));

const corpus: CloudTrailRecord[] = loadSampleFiles().flatMap((f) => f.records);

const PATHS: readonly (readonly string[])[] = [
  ["eventName"], ["eventSource"], ["eventID"], ["errorCode"], ["errorMessage"], ["userAgent"], ["sourceIPAddress"],
  ["awsRegion"], ["eventTime"], ["recipientAccountId"], ["userIdentity"], ["userIdentity", "type"], ["userIdentity", "userName"],
  ["userIdentity", "arn"], ["userIdentity", "invokedBy"], ["userIdentity", "principalId"], ["userIdentity", "sessionContext", "sessionIssuer", "userName"],
  ["requestParameters"], ["requestParameters", "userName"], ["requestParameters", "__proto__"], ["responseElements"],
  ["responseElements", "ConsoleLogin"], ["resources"], ["additionalEventData", "MFAUsed"], ["__proto__"],
];

/** Sets (or, for undefined, deletes) an own property along `path`, creating objects on the way; never through a setter. */
function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      if (value === undefined) delete node[key];
      else Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    const child = typeof next === "object" && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    Object.defineProperty(node, key, { value: child, enumerable: true, writable: true, configurable: true });
    node = child;
  }
}

const mutation = fc.record({
  path: fc.constantFrom(...PATHS),
  value: fc.oneof({ weight: 6, arbitrary: hostileString }, { weight: 2, arbitrary: jsonValue }, { weight: 1, arbitrary: fc.constant(DEEP) }, { weight: 1, arbitrary: fc.constant(undefined) }),
});

/** A real CloudTrail record from the corpus with one to four fields replaced, from AWS or not. */
export const mutatedFixture: fc.Arbitrary<Delivered> = fc
  .tuple(
    fc.nat({ max: corpus.length - 1 }),
    fc.array(mutation, { minLength: 1, maxLength: 4 }),
    fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileString }),
    deepText,
  )
  .map(([index, mutations, source, deep]) => {
    const record = structuredClone(corpus[index] as CloudTrailRecord);
    for (const m of mutations) setPath(record, m.path, m.value);
    const event = toEventBridgeEvent(record, index);
    if (source !== undefined) event["source"] = source;
    return deliver(event, deep);
  });
