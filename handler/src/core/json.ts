/**
 * An iterative JSON writer with a byte budget, for the message's JSON section
 * and the error log's payload excerpt.
 *
 * Why not `JSON.stringify(value, null, 2)`: it recurses (3,000 nested arrays
 * overflow the stack), its output grows with depth squared (60,000 zeros
 * nested 2,000 deep are a 124 KB event but a 240 MB string), and it cannot
 * stop at a budget. This writer walks the value with an explicit stack,
 * writes containers nested deeper than {@link PRETTY_DEPTH} on one line,
 * escapes what a reader cannot see, and stops at the budget: every value it
 * visits adds at least one byte and no string is escaped beyond what the
 * budget can still take, so its work is bounded by `maxBytes` (plus
 * `Object.keys` of the objects it opens), whatever the size of the value.
 */
import { HIDDEN_CLASS } from "./display.js";
import { sliceStart, truncateUtf8, utf8Bytes } from "./text.js";

/** Containers nested deeper than this are written on one line, so indentation stays bounded. */
export const PRETTY_DEPTH = 20;

const INDENT = Array.from({ length: PRETTY_DEPTH + 1 }, (_, depth) => `\n${"  ".repeat(depth)}`);
/** Printable ASCII other than `"` and `\`: written between quotes as is. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Bidi controls, line/paragraph separators, non-characters, C1 controls, invisibles: JSON.stringify keeps them raw. */
const HIDDEN_RUN = new RegExp(`[${HIDDEN_CLASS}]+`, "gu");

export interface JsonOptions {
  /** The text is cut (not at a token boundary) once it would pass this many UTF-8 bytes. */
  readonly maxBytes: number;
  /** Two-space indentation as `JSON.stringify(v, null, 2)` (default), or compact. */
  readonly pretty?: boolean;
  /** Strings and keys longer than this are cut, with a note inside the string. */
  readonly maxStringChars?: number;
}

export interface JsonText {
  /** At most `maxBytes` UTF-8 bytes; valid JSON when `complete`. */
  readonly text: string;
  readonly complete: boolean;
  /** True when some container deeper than PRETTY_DEPTH was written on one line. */
  readonly flattened: boolean;
}

export function writeJson(value: unknown, options: JsonOptions): JsonText {
  const { maxBytes, maxStringChars } = options;
  const pretty = options.pretty ?? true;
  let out = ""; // appended to: V8 builds it as a rope, flattened once at the end
  let bytes = 0;
  let writing = true;
  let flattened = false;
  // The stack, as parallel arrays (one slot per open container; its depth is its position).
  // Parsed JSON has no cycles; a cyclic value from a direct caller is written until the budget is spent.
  const containers: object[] = [];
  const keyLists: (readonly string[] | undefined)[] = [];
  const lengths: number[] = [];
  const indexes: number[] = [];
  const writtenCounts: number[] = [];

  const emit = (text: string, size: number): void => {
    if (!writing) return;
    if (bytes + size <= maxBytes) {
      out += text;
      bytes += size;
      return;
    }
    const part = truncateUtf8(text, maxBytes - bytes);
    out += part;
    bytes += utf8Bytes(part);
    writing = false;
  };
  const ascii = (text: string): void => emit(text, text.length);

  const string = (raw: string): void => {
    let s = raw;
    if (maxStringChars !== undefined && s.length > maxStringChars) {
      const kept = sliceStart(s, maxStringChars);
      s = `${kept}... [${s.length - kept.length} more characters cut]`;
    }
    // Every character takes at least one byte: what lies beyond the remaining budget would be cut anyway.
    const room = maxBytes - bytes;
    if (s.length > room) s = sliceStart(s, room);
    if (PLAIN_STRING.test(s)) {
      emit(`"${s}"`, s.length + 2);
      return;
    }
    // An escaped character takes up to six bytes: try the part that may already fill the budget first.
    const least = Math.ceil(room / 6) + 1;
    if (s.length > least) {
      const head = escapeString(sliceStart(s, least));
      const size = utf8Bytes(head);
      if (size > room) {
        emit(head, size);
        return;
      }
    }
    const text = escapeString(s);
    emit(text, utf8Bytes(text));
  };

  const open = (container: object): void => {
    const keys = Array.isArray(container) ? undefined : Object.keys(container);
    const length = keys === undefined ? (container as readonly unknown[]).length : keys.length;
    if (length === 0) {
      ascii(keys === undefined ? "[]" : "{}");
      return;
    }
    if (pretty && containers.length === PRETTY_DEPTH) flattened = true;
    containers.push(container);
    keyLists.push(keys);
    lengths.push(length);
    indexes.push(0);
    writtenCounts.push(0);
    ascii(keys === undefined ? "[" : "{");
  };

  const item = (v: unknown): void => {
    switch (typeof v) {
      case "string":
        string(v);
        return;
      case "number":
        ascii(Number.isFinite(v) ? String(v) : "null");
        return;
      case "boolean":
        ascii(v ? "true" : "false");
        return;
      case "bigint":
        ascii(v.toString());
        return;
      case "object":
        if (v === null) ascii("null");
        else open(v);
        return;
      default:
        ascii("null"); // undefined, functions, symbols: as JSON.stringify writes them inside arrays
    }
  };

  item(value);
  while (writing && containers.length > 0) {
    const top = containers.length - 1;
    const compact = !pretty || top >= PRETTY_DEPTH;
    const keys = keyLists[top];
    const index = indexes[top] ?? 0;
    const written = writtenCounts[top] ?? 0;
    if (index >= (lengths[top] ?? 0)) {
      containers.pop();
      keyLists.pop();
      lengths.pop();
      indexes.pop();
      writtenCounts.pop();
      const close = keys === undefined ? "]" : "}";
      ascii(written > 0 && !compact ? `${INDENT[top] ?? "\n"}${close}` : close);
      continue;
    }
    indexes[top] = index + 1;
    const container = containers[top] as Record<string, unknown>;
    const key = keys?.[index];
    // Own keys only (Object.keys); a "__proto__" key that JSON.parse created is an own data property and reads as such.
    const v = key === undefined ? container[index] : container[key];
    if (key !== undefined && (v === undefined || typeof v === "function" || typeof v === "symbol")) continue;
    writtenCounts[top] = written + 1;
    const separator = written > 0 ? "," : "";
    ascii(compact ? separator : `${separator}${INDENT[top + 1] ?? "\n"}`);
    if (key !== undefined) {
      string(key);
      ascii(compact ? ":" : ": ");
    }
    item(v);
  }
  return { text: out, complete: writing, flattened };
}

/** JSON.stringify of a string does not recurse; it escapes quotes, C0 controls and lone surrogates; then the invisibles. */
function escapeString(s: string): string {
  return JSON.stringify(s).replace(HIDDEN_RUN, jsonEscape);
}

/** `\uXXXX` for each UTF-16 unit (astral code points as their surrogate pair, as JSON requires). */
function jsonEscape(run: string): string {
  let out = "";
  for (let i = 0; i < run.length; i += 1) out += `\\u${run.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}
