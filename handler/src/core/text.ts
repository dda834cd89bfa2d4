/**
 * Text helpers with no knowledge of CloudTrail: SNS subject rules, single-line
 * rendering of untrusted values, and UTF-8 byte budgets.
 */

/**
 * SNS `Publish` subject rules. The API reference for `Subject`
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html) requires text
 * "with no line breaks or control characters, and less than 100 characters
 * long"; subjects with control or non-ASCII characters are rewritten by SNS
 * receivers (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-validation-truncation.html)
 * and mail clients mangle them. We hold ourselves to the stricter rule the
 * issue states: printable ASCII only (0x20-0x7E), first character a letter,
 * digit or punctuation mark, at most 99 characters. Email subscribers see it
 * as the mail subject.
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

/** Marker appended where text was cut. ASCII so it is safe in subjects too. */
export const ELLIPSIS = "...";

/**
 * Turns untrusted text (user names, session names, error codes) into a
 * printable-ASCII fragment for the subject: accents are transliterated
 * (`José` -> `Jose`), invisible format characters (bidi overrides, zero-width)
 * are dropped, other non-ASCII runs become one `?`, control characters and
 * line breaks become spaces, whitespace collapses, and the result is cut to
 * `maxChars` with a visible marker.
 */
export function toSubjectFragment(text: string, maxChars: number): string {
  const ascii = text
    .normalize("NFKD")
    .replace(/[\p{M}\p{Cf}]+/gu, "")
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ")
    .replace(/[^\x20-\x7e]+/g, "?")
    .replace(/\s+/g, " ")
    .trim();
  return truncateChars(ascii, maxChars);
}

/** Cuts `text` to at most `maxChars` characters, ending in {@link ELLIPSIS} if cut. */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= ELLIPSIS.length) return sliceChars(text, maxChars);
  return sliceChars(text, maxChars - ELLIPSIS.length) + ELLIPSIS;
}

/** The first `count` UTF-16 units of `text`, one fewer if that would split a surrogate pair. */
export function sliceChars(text: string, count: number): string {
  const code = text.charCodeAt(count - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? count - 1 : count);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Renders an untrusted value on one line of the message summary. Control and
 * invisible format characters are shown as escapes (`\n`, `\u0007`, `\u202e`)
 * instead of being obeyed, so a crafted user agent cannot forge extra summary
 * lines such as a fake "Outcome: success" or reorder text with bidi overrides.
 * Other unicode is kept: the message body is UTF-8.
 */
export function toSummaryValue(text: string, maxChars = 300): string {
  const escaped = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (ch) => SHORT_ESCAPES[ch] ?? unicodeEscape(ch));
  return truncateChars(escaped, maxChars);
}

function unicodeEscape(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Back off while the first byte after the cut is a continuation byte (10xxxxxx).
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return buf.subarray(0, end).toString("utf8");
}
