/**
 * The promises of issue #13, checked from the outside: written from SNS's
 * rules and the alert's documented format, not from the core's helpers, so a
 * bug in those cannot hide itself. Each returns readable problems; [] is a pass.
 */

export interface Published {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const SNS_LIMIT_BYTES = 262_144;
const HEADING = /\n\n----- (Full CloudTrail event|Raw payload) \(JSON\) -----\n/;
/** Characters XML 1.0 (and so SQS, behind an SNS subscription with raw delivery) accepts. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
/** Raw code points a reader must never meet in the first lines (they must appear escaped). */
const HIDDEN =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Noncharacter_Code_Point}\p{Default_Ignorable_Code_Point}\u00a0\u2000-\u200a\u3000]/u;
/** In the JSON section: bidi controls, line/paragraph separators, non-characters (the list). */
const JSON_FORBIDDEN = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\p{Noncharacter_Code_Point}]/u;
/** Text a mail client would turn into a link. */
const LINKABLE = /(?<!\.)[.\u3002\uff0e\uff61](?=\p{L})|[^[]@|@[^\]]|:\/\//u;

export function splitMessage(message: string): { summary: string; json: string } | undefined {
  const match = HEADING.exec(message);
  if (match === null) return undefined;
  return { summary: message.slice(0, match.index), json: message.slice(match.index + match[0].length) };
}

/** SNS accepts it: subject, attribute and size rules, valid UTF-8, nothing XML cannot carry. */
export function publishProblems(alert: Published): string[] {
  const found: string[] = [];
  const { subject, message, attributes } = alert;
  if (subject.length === 0 || subject.length >= 100) found.push(`subject is ${subject.length} chars`);
  if (!/^[\x20-\x7e]+$/.test(subject)) found.push(`subject is not printable ASCII: ${JSON.stringify(subject)}`);
  if (!/^[A-Za-z0-9!-/:-@[-`{-~]/.test(subject)) found.push(`subject starts badly: ${JSON.stringify(subject)}`);
  if (message.length === 0) found.push("message is empty");
  if (!message.isWellFormed()) found.push("message has a lone surrogate");
  if (NOT_XML_CHAR.test(message)) found.push(`message has a character XML cannot carry: ${JSON.stringify(NOT_XML_CHAR.exec(message)?.[0])}`);
  const entries = Object.entries(attributes);
  if (entries.length > 10) found.push(`${entries.length} attributes (raw SQS delivery drops more than 10)`);
  let bytes = Buffer.byteLength(message, "utf8");
  for (const [name, value] of entries) {
    if (value.length === 0 || value.length > 256 || !/^[\x20-\x7e]+$/.test(value)) found.push(`attribute ${name} = ${JSON.stringify(value)}`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength("String") + Buffer.byteLength(value);
  }
  if (bytes > SNS_LIMIT_BYTES) found.push(`publish is ${bytes} bytes`);
  return found;
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const own = (o: Record<string, unknown> | undefined, key: string): unknown => (o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined);

/** What the reader sees first cannot be forged by the event's content. */
export function firstLinesProblems(alert: Published, event: unknown): string[] {
  const found: string[] = [];
  const parts = splitMessage(alert.message);
  if (parts === undefined) return ["message has no JSON section heading"];
  const lines = parts.summary.split("\n");
  const hidden = HIDDEN.exec(parts.summary.replaceAll("\n", ""));
  if (hidden !== null) found.push(`summary shows a raw U+${(hidden[0].codePointAt(0) ?? 0).toString(16)}`);
  const ours = (line: string): boolean => line.startsWith("CloudTrail:   https://");
  const linkable = lines.filter((line) => !ours(line)).find((line) => LINKABLE.test(line));
  if (linkable !== undefined) found.push(`summary has linkable text: ${linkable.slice(0, 200)}`);
  if (LINKABLE.test(alert.subject)) found.push(`subject has linkable text: ${alert.subject}`);

  const source = own(asRecord(event), "source");
  if (typeof source !== "string" || !source.startsWith("aws.")) {
    if (!alert.subject.startsWith("[UNVERIFIED] ")) found.push(`unverified event, subject ${alert.subject}`);
    if (!lines[0]?.includes("not emitted by an AWS service")) found.push(`unverified event, first line ${lines[0]?.slice(0, 200)}`);
  }
  const detail = asRecord(own(asRecord(event), "detail"));
  const type = own(asRecord(own(detail, "userIdentity")), "type");
  if (/ by root( |$)/.test(alert.subject) && type !== "Root") found.push(`a ${String(type)} actor reads as root: ${alert.subject}`);

  if (parts.json.length > 0 && HEADING.exec(alert.message)?.[1] === "Full CloudTrail event") {
    for (const label of ["Outcome:", "Actor:", "Event ID:", "Action:"]) {
      const count = lines.filter((line) => line.startsWith(label)).length;
      if (count !== 1) found.push(`${count} lines start with ${label}`);
    }
    const actor = lines.find((line) => line.startsWith("Actor:"));
    if (actor !== undefined && !/^Actor: +(Root \(the account's root user\)|(\S+|".*") ".*")$/.test(actor)) {
      found.push(`Actor line does not start with the type: ${actor.slice(0, 200)}`);
    }
  }
  return found;
}

/**
 * The JSON section: nothing hidden raw, and when nothing was cut, exactly the
 * payload (the record for a CloudTrail alert, else the whole event).
 */
export function jsonSectionProblems(alert: Published, event: unknown): string[] {
  const parts = splitMessage(alert.message);
  if (parts === undefined) return ["message has no JSON section heading"];
  const payload = HEADING.exec(alert.message)?.[1] === "Full CloudTrail event" ? own(asRecord(event), "detail") : event;
  const found: string[] = [];
  const forbidden = JSON_FORBIDDEN.exec(parts.json);
  if (forbidden !== null) found.push(`JSON section has a raw U+${(forbidden[0].codePointAt(0) ?? 0).toString(16)}`);
  const shortened = /^NOTE: (this JSON was SHORTENED|JSON nested deeper than \d+ levels is not shown)/m.test(parts.json);
  if (!shortened) {
    const text = parts.json.replace(/^NOTE: [^\n]*\n/gm, "");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err: unknown) {
      return [...found, `JSON section does not parse: ${err instanceof Error ? err.message : String(err)}`];
    }
    const difference = firstDifference(parsed, payload);
    if (difference !== undefined) found.push(`JSON section differs from the payload at ${difference}`);
  }
  return found;
}

/** Iterative deep comparison of two JSON values (own keys only, so "__proto__" counts); the path of the first difference. */
export function firstDifference(a: unknown, b: unknown): string | undefined {
  const stack: [unknown, unknown, string][] = [[a, b, "$"]];
  while (stack.length > 0) {
    const [x, y, path] = stack.pop() as [unknown, unknown, string];
    if (typeof x !== "object" || x === null || typeof y !== "object" || y === null) {
      if (!Object.is(x, y) && !(typeof x === "number" && x === y)) return path;
      continue;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return path;
    const xKeys = Object.keys(x);
    const yKeys = Object.keys(y).filter((k) => (y as Record<string, unknown>)[k] !== undefined);
    if (xKeys.length !== yKeys.length) return `${path} (${xKeys.length} vs ${yKeys.length} keys)`;
    for (const key of xKeys) {
      if (!Object.hasOwn(y, key)) return `${path}.${key.slice(0, 40)}`;
      stack.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key], `${path}.${key.slice(0, 40)}`]);
    }
  }
  return undefined;
}

/** Every invariant, for an alert formatted from `event` (an unwrapped EventBridge event). */
export function allProblems(alert: Published, event: unknown): string[] {
  return [...publishProblems(alert), ...firstLinesProblems(alert, event), ...jsonSectionProblems(alert, event)];
}
