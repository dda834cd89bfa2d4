import { writeJson } from "./json.js";
import { truncateUtf8, utf8Bytes } from "./text.js";

/**
 * SNS rejects a publish whose message body plus message attributes (names,
 * data types and values) exceed the topic's MaximumMessageSize, 256 KiB
 * (262,144 bytes) by default, counted in UTF-8 bytes
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html,
 * https://docs.aws.amazon.com/sns/latest/dg/large-message-payloads.html).
 */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** Head-room for what we cannot see (subject in JSON deliveries, future attributes). */
export const SAFETY_MARGIN_BYTES = 1_024;

/** Long strings (and keys) are cut to this many characters before the JSON is cut outright. */
const SHORTENED_STRING_CHARS = 1_024;

export const CUT_MARKER = "\n... [cut here: the rest of the JSON did not fit]";

export function attributeBytes(attributes: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(attributes)) total += utf8Bytes(name) + utf8Bytes("String") + utf8Bytes(value);
  return total;
}

export interface FittedBody {
  readonly text: string;
  /** Long strings were cut, or the text itself, to fit the budget. */
  readonly shortened: boolean;
  /** Some containers nested deeper than PRETTY_DEPTH are written on one line. */
  readonly flattened: boolean;
  /** Some containers nested deeper than MAX_DEPTH are replaced by a marker. */
  readonly tooDeep: boolean;
}

/**
 * Renders `value` as pretty JSON within `maxBytes`. When it does not fit, long
 * strings are cut first (the JSON stays valid and every key stays visible);
 * if that is still too large the text itself is cut, with a marker. At most
 * two walks over the value, each writing at most `maxBytes`; one when there
 * is no long string to cut.
 */
export function fitJson(value: unknown, maxBytes: number): FittedBody {
  const full = writeJson(value, { maxBytes, longStringChars: SHORTENED_STRING_CHARS });
  if (full.complete) return { text: full.text, shortened: false, flattened: full.flattened, tooDeep: full.tooDeep };

  // Without a long string before the cut, a second walk would write the same text (deep or wide values).
  const short = full.hadLongStrings ? writeJson(value, { maxBytes, maxStringChars: SHORTENED_STRING_CHARS }) : full;
  if (short.complete) return { text: short.text, shortened: true, flattened: short.flattened, tooDeep: short.tooDeep };
  return {
    text: truncateUtf8(short.text, maxBytes - utf8Bytes(CUT_MARKER)) + CUT_MARKER,
    shortened: true,
    flattened: short.flattened,
    tooDeep: short.tooDeep,
  };
}
