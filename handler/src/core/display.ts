/**
 * How untrusted text appears in the message summary (the lines a reader sees
 * before the JSON): on one line, every invisible character shown as an
 * escape, names that look like domains or addresses defanged, and long values
 * cut in the middle so both ends stay visible. Work is bounded by `maxChars`,
 * not by the length of the value.
 */
import { defang, sliceEnd, sliceStart } from "./text.js";

/**
 * Code points a reader cannot see, that reorder or break the text around
 * them, or that are not characters at all: controls (C0, DEL, C1), format
 * characters (bidi overrides and isolates, zero-width joiners, tags), lone
 * surrogates, private-use and unassigned code points, line and paragraph
 * separators, default-ignorables (Hangul fillers, variation selectors),
 * non-characters (U+FFFE, U+FDD0...), spaces other than U+0020, and the
 * blank braille pattern. Shared with the JSON writer.
 */
export const HIDDEN_CLASS =
  "\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\p{Noncharacter_Code_Point}" +
  "\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u2800";

const HIDDEN = new RegExp(`^[${HIDDEN_CLASS}]$`, "u");
const MARK = /^\p{M}$/u;
const LETTER = /^\p{L}$/u;
const DOTS = new Set([".", "\u3002", "\uff0e", "\uff61"]);
/** Combining marks allowed to stack on one character; more ("Zalgo" text) could draw over the lines above. */
const MAX_STACKED_MARKS = 3;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export interface ShowOptions {
  /** Wrap in double quotes, escaping `"` and `\` inside, so the value cannot close its own quotes. */
  readonly quoted?: boolean;
  /** Defang domain-, address- and URL-like text (default). Off for log keys, which must stay searchable. */
  readonly defang?: boolean;
}

/** `\u202e`, `\u{e0041}`, `\n`: how a hidden code point is written. */
export function escapeCodePoint(cp: string): string {
  const short = SHORT_ESCAPES[cp];
  if (short !== undefined) return short;
  const code = cp.length === 1 ? cp.charCodeAt(0) : (cp.codePointAt(0) ?? 0);
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Renders an untrusted value for the summary, at most about `maxChars`
 * characters. A cut keeps the start and the end and says how long the value
 * was: `stratus-red-team-le...[61 chars]...688990515440126480`.
 */
export function show(raw: string, maxChars: number, options: ShowOptions = {}): string {
  const quoted = options.quoted === true;
  const defangs = options.defang ?? true;
  const wrap = (text: string): string => (quoted ? `"${text}"` : text);
  // Fast path (most values): short printable ASCII needs no escapes, only defanging.
  if (raw.length <= maxChars && PRINTABLE_ASCII.test(raw) && !(quoted && /["\\]/.test(raw))) {
    const plain = defangs ? defang(raw) : raw;
    if (plain.length <= maxChars) return wrap(plain);
  }
  // Each code point renders to at least one character, so 2 * maxChars units from each end are enough.
  const scan = 2 * maxChars;
  if (raw.length <= 2 * scan) {
    const pieces = render(Array.from(raw), quoted, defangs);
    if (totalLength(pieces) <= maxChars) return wrap(pieces.join(""));
    return wrap(joinEnds(pieces, pieces, maxChars, raw.length));
  }
  const head = render(Array.from(sliceStart(raw, scan)), quoted, defangs);
  const tail = render(Array.from(sliceEnd(raw, scan)), quoted, defangs);
  return wrap(joinEnds(head, tail, maxChars, raw.length));
}

/** One rendered piece per code point: itself, an escape, or a defanged form. */
function render(cps: readonly string[], quoted: boolean, defangs: boolean): string[] {
  const out: string[] = [];
  let marks = 0;
  for (let i = 0; i < cps.length; i += 1) {
    const cp = cps[i] ?? "";
    if (HIDDEN.test(cp)) {
      // Before marks: variation selectors and the grapheme joiner are both marks and invisible.
      marks = 0;
      out.push(escapeCodePoint(cp));
      continue;
    }
    if (MARK.test(cp)) {
      marks += 1;
      out.push(marks > MAX_STACKED_MARKS ? escapeCodePoint(cp) : cp);
      continue;
    }
    marks = 0;
    if (quoted && (cp === '"' || cp === "\\")) out.push(`\\${cp}`);
    else out.push(defangs ? defangPiece(cps, i) : cp);
  }
  return out;
}

/** The defang rules of text.ts, one code point at a time. */
function defangPiece(cps: readonly string[], i: number): string {
  const cp = cps[i] ?? "";
  if (DOTS.has(cp)) return LETTER.test(cps[i + 1] ?? "") ? `[${cp}]` : cp;
  if (cp === "@") return "[@]";
  if (cp === ":") return cps[i + 1] === "/" && cps[i + 2] === "/" ? "[:]" : cp;
  return cp;
}

function totalLength(pieces: readonly string[]): number {
  let n = 0;
  for (const p of pieces) n += p.length;
  return n;
}

function joinEnds(head: readonly string[], tail: readonly string[], maxChars: number, rawLength: number): string {
  const marker = `...[${rawLength} chars]...`;
  const room = Math.max(8, maxChars - marker.length);
  const headBudget = Math.ceil(room / 2);
  let tailBudget = room - headBudget;
  let start = "";
  for (const piece of head) {
    if (start.length + piece.length > headBudget) break;
    start += piece;
  }
  const end: string[] = [];
  for (let i = tail.length - 1; i >= 0; i -= 1) {
    const piece = tail[i] ?? "";
    if (piece.length > tailBudget) break;
    end.push(piece);
    tailBudget -= piece.length;
  }
  return `${start}${marker}${end.reverse().join("")}`;
}
