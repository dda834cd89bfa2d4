/**
 * An iterative JSON writer with a byte budget, for the message's JSON section
 * and the error log's payload excerpt.
 *
 * Why not `JSON.stringify(value, null, 2)`: it recurses (3,000 nested arrays
 * overflow the stack), its output grows with depth squared (60,000 zeros
 * nested 2,000 deep are a 124 KB event but a 240 MB string), and it cannot
 * stop at a budget. This writer walks the value with an explicit stack,
 * writes containers nested deeper than {@link PRETTY_DEPTH} on one line,
 * escapes what a reader cannot see, and writes UTF-8 straight into a buffer
 * of `maxBytes` (sink.ts), stopping when it is full: every value it visits adds at
 * least one byte and no string is escaped beyond what the buffer can still
 * take, so its time and memory are bounded by `maxBytes` (plus `Object.keys`
 * of the objects it opens), whatever the size of the value; containers deeper
 * than {@link MAX_DEPTH} are not walked at all.
 */
import { ByteSink } from "./sink.js";
import { sliceStart } from "./text.js";

/** Containers nested deeper than this are written on one line, so indentation stays bounded. */
export const PRETTY_DEPTH = 20;

/**
 * Containers nested deeper than this are replaced by {@link TOO_DEEP}. Real
 * CloudTrail records nest a dozen levels; walking 130,000 levels of `[[[...`
 * (a 256 KB event) would cost more than the rest of the alert and show a
 * reader nothing.
 */
export const MAX_DEPTH = 4_096;
export const TOO_DEEP = `[nested deeper than ${MAX_DEPTH} levels: not shown]`;

const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT, COMMA, COLON, SPACE] = Array.from("[]{},: ", (c) => c.charCodeAt(0)) as [
  number, number, number, number, number, number, number,
];

export interface JsonOptions {
  /** The text is cut (not at a token boundary, never inside a character) once it would pass this many UTF-8 bytes. */
  readonly maxBytes: number;
  /** Two-space indentation as `JSON.stringify(v, null, 2)` (default), or compact. */
  readonly pretty?: boolean;
  /** Strings and keys longer than this are cut, with a note inside the string. */
  readonly maxStringChars?: number;
  /** What `hadLongStrings` reports on, when `maxStringChars` is not given. @default 1024 */
  readonly longStringChars?: number;
}

export interface JsonText {
  /** At most `maxBytes` UTF-8 bytes; valid JSON when `complete`. */
  readonly text: string;
  readonly complete: boolean;
  /** True when some container deeper than PRETTY_DEPTH was written on one line. */
  readonly flattened: boolean;
  /** True when some container deeper than MAX_DEPTH was replaced by the TOO_DEEP string. */
  readonly tooDeep: boolean;
  /**
   * True when some string or key written (or cut) was longer than
   * `maxStringChars` / `longStringChars`. When false and the text is not
   * complete, cutting long strings would not have changed the text.
   */
  readonly hadLongStrings: boolean;
}

export function writeJson(value: unknown, options: JsonOptions): JsonText {
  const { maxBytes, maxStringChars } = options;
  const pretty = options.pretty ?? true;
  const longString = maxStringChars ?? options.longStringChars ?? 1_024;
  const sink = new ByteSink(maxBytes);
  let flattened = false;
  let tooDeep = false;
  let hadLongStrings = false;
  // The stack, as parallel arrays (one slot per open container; its depth is its position).
  // Parsed JSON has no cycles; a cyclic value from a direct caller is written until the sink is full.
  const containers: object[] = [];
  const keyLists: (readonly string[] | undefined)[] = [];
  const indexes: number[] = [];
  const writtenCounts: number[] = [];

  const string = (raw: string): void => {
    let s = raw;
    if (s.length > longString) hadLongStrings = true;
    if (maxStringChars !== undefined && s.length > maxStringChars) {
      const kept = sliceStart(s, maxStringChars);
      s = `${kept}... [${s.length - kept.length} more characters cut]`;
    }
    // Every character takes at least one byte: what lies beyond the room left would be cut anyway.
    sink.jsonString(s.length > sink.left ? sliceStart(s, sink.left) : s);
  };

  const open = (container: object): void => {
    if (containers.length >= MAX_DEPTH) {
      tooDeep = true;
      sink.jsonString(TOO_DEEP);
      return;
    }
    const keys = Array.isArray(container) ? undefined : Object.keys(container);
    const length = keys === undefined ? (container as readonly unknown[]).length : keys.length;
    if (length === 0) {
      sink.byte(keys === undefined ? OPEN_ARRAY : OPEN_OBJECT);
      sink.byte(keys === undefined ? CLOSE_ARRAY : CLOSE_OBJECT);
      return;
    }
    if (pretty && containers.length === PRETTY_DEPTH) flattened = true;
    containers.push(container);
    keyLists.push(keys);
    indexes.push(0);
    writtenCounts.push(0);
    sink.byte(keys === undefined ? OPEN_ARRAY : OPEN_OBJECT);
  };

  const item = (v: unknown): void => {
    switch (typeof v) {
      case "string":
        string(v);
        return;
      case "number":
        sink.ascii(Number.isFinite(v) ? String(v) : "null");
        return;
      case "boolean":
        sink.ascii(v ? "true" : "false");
        return;
      case "bigint":
        sink.ascii(v.toString());
        return;
      case "object":
        if (v === null) sink.ascii("null");
        else open(v);
        return;
      default:
        sink.ascii("null"); // undefined, functions, symbols: as JSON.stringify writes them inside arrays
    }
  };

  item(value);
  while (sink.open && containers.length > 0) {
    const top = containers.length - 1;
    const compact = !pretty || top >= PRETTY_DEPTH;
    const keys = keyLists[top];
    const container = containers[top] as Record<string, unknown>;
    const index = indexes[top] ?? 0;
    const written = writtenCounts[top] ?? 0;
    if (index >= (keys === undefined ? (container as unknown as unknown[]).length : keys.length)) {
      containers.pop();
      keyLists.pop();
      indexes.pop();
      writtenCounts.pop();
      if (written > 0 && !compact) sink.newline(top);
      sink.byte(keys === undefined ? CLOSE_ARRAY : CLOSE_OBJECT);
      continue;
    }
    indexes[top] = index + 1;
    const key = keys?.[index];
    // Own keys only (Object.keys); a "__proto__" key that JSON.parse created is an own data property and reads as such.
    const v = key === undefined ? container[index] : container[key];
    if (key !== undefined && (v === undefined || typeof v === "function" || typeof v === "symbol")) continue;
    writtenCounts[top] = written + 1;
    if (written > 0) sink.byte(COMMA);
    if (!compact) sink.newline(top + 1);
    if (key !== undefined) {
      string(key);
      sink.byte(COLON);
      if (!compact) sink.byte(SPACE);
    }
    item(v);
  }
  return { text: sink.text(), complete: sink.open, flattened, tooDeep, hadLongStrings };
}
