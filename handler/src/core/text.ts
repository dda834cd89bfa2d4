/**
 * Text helpers with no knowledge of CloudTrail: SNS subject rules, the ASCII
 * fragments subjects and attributes are built from, defanging, and UTF-8
 * byte budgets. Every function here looks at a bounded slice of its input,
 * so an 85,000-character field costs no more than a short one.
 */

/**
 * SNS `Publish` subject rules. The API reference for `Subject`
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html) requires text
 * "with no line breaks or control characters, and less than 100 characters
 * long"; subjects with control or non-ASCII characters are rewritten by SNS
 * receivers (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-validation-truncation.html)
 * and mail clients mangle them. We hold ourselves to the stricter rule:
 * printable ASCII only (0x20-0x7E), first character a letter, digit or
 * punctuation mark, at most 99 characters. Email subscribers see it as the
 * mail subject.
 */
export const SNS_SUBJECT_MAX_CHARS = 99;

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const STARTS_WITH_LETTER_DIGIT_OR_PUNCT = /^[A-Za-z0-9!-/:-@[-`{-~]/;

/** True when SNS accepts `subject` as a `Publish` subject (see the rules above). */
export function isValidSnsSubject(subject: string): boolean {
  return (
    subject.length > 0 &&
    subject.length <= SNS_SUBJECT_MAX_CHARS &&
    PRINTABLE_ASCII.test(subject) &&
    STARTS_WITH_LETTER_DIGIT_OR_PUNCT.test(subject)
  );
}

/** Marker where text was cut. ASCII so it is safe in subjects too. */
export const ELLIPSIS = "...";

/** The first `count` UTF-16 units of `text`, one fewer if that would split a surrogate pair. */
export function sliceStart(text: string, count: number): string {
  if (count <= 0) return "";
  if (text.length <= count) return text;
  const code = text.charCodeAt(count - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? count - 1 : count);
}

/** The last `count` UTF-16 units of `text`, one fewer if that would split a surrogate pair. */
export function sliceEnd(text: string, count: number): string {
  if (count <= 0) return "";
  if (text.length <= count) return text;
  const start = text.length - count;
  const code = text.charCodeAt(start);
  return text.slice(code >= 0xdc00 && code <= 0xdfff ? start + 1 : start);
}

/** Cuts `text` to at most `maxChars` characters, ending in {@link ELLIPSIS} if cut. */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= ELLIPSIS.length) return sliceStart(text, maxChars);
  return trimDefangStart(sliceStart(text, maxChars - ELLIPSIS.length)) + ELLIPSIS;
}

/**
 * Names that look like domains, mail addresses or URLs are made unclickable
 * the way incident responders write them: `example[.]com`, `a[@]b[.]c`,
 * `https[:]//` (every `@` and every `://`, whatever surrounds them). Mail clients turn such text into links, and a user name such
 * as `aws-signin.verify-mfa.example` must not become the first link of an
 * alert. The rule is deliberately broad (any dot before a letter, including
 * the ideographic and full-width dots that IDNA treats as dots): a list of
 * top-level domains would age, and `.zip` and `.mov` are domains now.
 */
const DEFANG = /[.\u3002\uff0e\uff61](?=\p{L})|@|:(?=\/\/)/gu;

const MAY_NEED_DEFANG = /[.@:\u3002\uff0e\uff61]/;

export function defang(text: string): string {
  return MAY_NEED_DEFANG.test(text) ? text.replace(DEFANG, (m) => `[${m}]`) : text;
}

/** A cut that fell inside a `[.]` token leaves `[` or `[.` at the end of the head... */
function trimDefangStart(head: string): string {
  return head.replace(/\[[.@:\u3002\uff0e\uff61]?$/u, "");
}

/** ...or `.]` / `]` at the start of the tail. */
function trimDefangEnd(tail: string): string {
  return tail.replace(/^[.@:\u3002\uff0e\uff61]?\]/u, "");
}

/**
 * Printable ASCII for subjects and attribute values: accents transliterated
 * (`José` -> `Jose`, full-width `ｒｏｏｔ` -> `root`), control characters and
 * line breaks become spaces, every other non-ASCII run (including invisible
 * and bidi format characters, which are therefore never silently dropped)
 * becomes one `?`, and whitespace collapses. NFKD can grow text 18-fold
 * (U+FDFA), so callers pass a bounded slice.
 */
function asciiFold(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.replace(/ {2,}/g, " "); // nothing to fold (most values)
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\p{Zs}]+/gu, " ")
    .replace(/[^\x20-\x7e]+/g, "?")
    .replace(/ {2,}/g, " ");
}

/** How many UTF-16 units from each end of a value a fragment looks at. */
function scanUnits(maxChars: number): number {
  return Math.max(64, maxChars * 4);
}

/**
 * A printable-ASCII fragment of untrusted text, cut at the end. Not
 * defanged: attribute values must stay exact for subscription filter
 * policies (`event_source = iam.amazonaws.com`).
 */
export function toAsciiFragment(text: string, maxChars: number): string {
  return truncateChars(asciiFold(sliceStart(text, scanUnits(maxChars))).trim(), maxChars);
}

/**
 * One word of the subject: folded, with spaces as `_`, defanged. The subject
 * is built from words like this and its own " by ", " in " and " FAILED ",
 * so no field can write those (an eventName of " by root in " would
 * otherwise make any actor read as root).
 */
function subjectWord(text: string): string {
  return defang(asciiFold(text).trim().replaceAll(" ", "_"));
}

/** An event-supplied value as one word of the subject, cut at the end. */
export function toSubjectFragment(text: string, maxChars: number): string {
  return truncateChars(subjectWord(sliceStart(text, scanUnits(maxChars))), maxChars);
}

/**
 * A user-controlled name as one word of the subject, cut in the middle, so
 * both the start and the end survive (a forged prefix cannot push the true
 * end out of view).
 */
export function toSubjectName(text: string, maxChars: number): string {
  const scan = scanUnits(maxChars);
  const whole = text.length <= 2 * scan;
  const head = subjectWord(whole ? text : sliceStart(text, scan));
  if (whole && head.length <= maxChars) return head;
  const tail = whole ? head : subjectWord(sliceEnd(text, scan));
  const room = maxChars - ELLIPSIS.length;
  if (room < 2) return sliceStart(head, maxChars);
  const tailChars = Math.min(tail.length, Math.floor(room / 2));
  const headChars = room - tailChars;
  return (
    trimDefangStart(head.slice(0, headChars)) +
    ELLIPSIS +
    trimDefangEnd(tail.slice(tail.length - tailChars))
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is every ASCII code point, controls included, on purpose
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Lone surrogates replaced by U+FFFD (String.prototype.toWellFormed, Node 20+).
 * Typed here rather than through the ES2024 lib: the root tsconfig (ES2022)
 * compiles this core too, through __tests__/presets.
 */
export function wellFormed(text: string): string {
  return (text as unknown as { toWellFormed(): string }).toWellFormed();
}

export function utf8Bytes(text: string): number {
  // Short ASCII (attribute names and values, subjects) without a call into the runtime.
  return text.length <= 256 && ASCII.test(text) ? text.length : Buffer.byteLength(text, "utf8");
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text;
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Back off while the first byte after the cut is a continuation byte (10xxxxxx).
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return buf.subarray(0, end).toString("utf8");
}
