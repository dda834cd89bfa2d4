import { sliceChars, truncateUtf8, utf8Bytes } from "./text.js";

/**
 * SNS rejects a publish whose message body plus message attributes (names,
 * data types and values) exceed the topic's MaximumMessageSize, 256 KiB
 * (262,144 bytes) by default, counted in UTF-8 bytes
 * (https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html,
 * https://docs.aws.amazon.com/sns/latest/dg/large-message-payloads.html).
 */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** Head-room for what we cannot see (subject in JSON deliveries, future attributes). */
export const SAFETY_MARGIN_BYTES = 1_024;

/** Long strings are cut to this many characters before the JSON is cut outright. */
const SHORTENED_STRING_CHARS = 1_024;

export function attributeBytes(attributes: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(attributes)) total += utf8Bytes(name) + utf8Bytes("String") + utf8Bytes(value);
  return total;
}

export interface FittedBody {
  readonly text: string;
  readonly shortened: boolean;
  readonly originalBytes: number;
}

/**
 * Renders `value` as pretty JSON within `maxBytes`. When it does not fit, long
 * strings are cut first (the JSON stays valid and every key stays visible);
 * if that is still too large the text itself is cut, with a marker.
 */
export function fitJson(value: unknown, maxBytes: number): FittedBody {
  const full = stringify(value);
  const originalBytes = utf8Bytes(full);
  if (originalBytes <= maxBytes) return { text: full, shortened: false, originalBytes };

  const withShortStrings = stringify(shortenStrings(value));
  if (utf8Bytes(withShortStrings) <= maxBytes) return { text: withShortStrings, shortened: true, originalBytes };

  const marker = "\n... [cut here: the rest of the JSON did not fit]";
  return {
    text: truncateUtf8(withShortStrings, maxBytes - utf8Bytes(marker)) + marker,
    shortened: true,
    originalBytes,
  };
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch (err: unknown) {
    // Lambda payloads are parsed JSON, so this is only reachable from direct callers.
    const why = err instanceof Error ? err.message : String(err);
    return `(not serialisable as JSON: ${why}) ${String(value)}`;
  }
}

function shortenStrings(value: unknown): unknown {
  if (typeof value === "string") {
    return value.length > SHORTENED_STRING_CHARS
      ? `${sliceChars(value, SHORTENED_STRING_CHARS)}... [${value.length - SHORTENED_STRING_CHARS} more characters cut]`
      : value;
  }
  if (Array.isArray(value)) return value.map(shortenStrings);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = shortenStrings(inner);
    return out;
  }
  return value;
}
