/**
 * A fixed-size UTF-8 byte buffer that JSON text is written into, for the
 * iterative writer in json.ts. It never splits a character: a write that
 * does not fit whole stops the sink (`full`), and everything after is
 * ignored. Strings are escaped and encoded here in one pass, code unit by
 * code unit, so that a hostile string costs a few nanoseconds per character
 * and never more bytes than the buffer has left.
 */
import { HIDDEN_CLASS } from "./display.js";

const HIDDEN_CHAR = new RegExp(`^[${HIDDEN_CLASS}]$`, "u");
/** Per BMP code unit: 0 not yet known, 1 shown as is, 2 escaped. Filled on first sight (regex once per distinct unit). */
const BMP_CLASS = new Uint8Array(0x10000);
const ASTRAL_HIDDEN = new Map<number, boolean>();
const HEX = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const SHORT_ESCAPE: Readonly<Record<number, number>> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72, 0x22: 0x22, 0x5c: 0x5c };
const [SPACE, NEWLINE, QUOTE, BACKSLASH, U] = [0x20, 0x0a, 0x22, 0x5c, 0x75];

function hiddenBmp(unit: number): boolean {
  let known = BMP_CLASS[unit] ?? 0;
  if (known === 0) {
    known = HIDDEN_CHAR.test(String.fromCharCode(unit)) ? 2 : 1;
    BMP_CLASS[unit] = known;
  }
  return known === 2;
}

function hiddenAstral(codePoint: number): boolean {
  let hidden = ASTRAL_HIDDEN.get(codePoint);
  if (hidden === undefined) {
    hidden = HIDDEN_CHAR.test(String.fromCodePoint(codePoint));
    if (ASTRAL_HIDDEN.size < 4_096) ASTRAL_HIDDEN.set(codePoint, hidden);
  }
  return hidden;
}

/**
 * One scratch buffer for every sink, grown to the largest budget seen (at
 * most the SNS limit, 256 KiB): allocating 256 KiB per event cost more than
 * writing a typical record. Sinks are used one at a time and synchronously
 * (a walk never yields), and `text()` copies out, so nothing written for one
 * event is visible to the next.
 */
let scratch = Buffer.allocUnsafe(16 * 1024);

export class ByteSink {
  private readonly out: Buffer;
  private at = 0;
  /** False once a write did not fit; the text ends at the last whole write. */
  open = true;

  constructor(maxBytes: number) {
    const size = Math.max(0, maxBytes);
    if (scratch.length < size) scratch = Buffer.allocUnsafe(size);
    this.out = scratch.subarray(0, size);
  }

  /** Room for `n` more bytes; if not, the sink is closed. */
  private room(n: number): boolean {
    if (this.open && this.at + n <= this.out.length) return true;
    this.open = false;
    return false;
  }

  byte(b: number): void {
    if (this.room(1)) this.out[this.at++] = b;
  }

  newline(depth: number): void {
    if (!this.room(1 + 2 * depth)) return;
    this.out[this.at++] = NEWLINE;
    for (let i = 0; i < 2 * depth; i += 1) this.out[this.at++] = SPACE;
  }

  /** Printable ASCII known not to need escaping (numbers, literals). */
  ascii(s: string): void {
    if (!this.room(s.length)) return;
    for (let i = 0; i < s.length; i += 1) this.out[this.at++] = s.charCodeAt(i);
  }

  /**
   * `s` as a JSON string: quotes, backslash and C0 controls escaped as
   * JSON.stringify does, lone surrogates as `\udXXX`, and every hidden code
   * point (bidi controls, U+2028/2029, non-characters, invisibles: see
   * HIDDEN_CLASS) as `\uXXXX`, astral ones as their surrogate pair.
   */
  jsonString(s: string): void {
    this.byte(QUOTE);
    for (let i = 0; i < s.length && this.open; i += 1) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f && c !== QUOTE && c !== BACKSLASH) {
        if (this.room(1)) this.out[this.at++] = c;
      } else if (c < 0x80 && SHORT_ESCAPE[c] !== undefined) {
        if (this.room(2)) {
          this.out[this.at++] = BACKSLASH;
          this.out[this.at++] = SHORT_ESCAPE[c] ?? 0;
        }
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        const low = s.charCodeAt(i + 1);
        const codePoint = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i += 1;
        if (hiddenAstral(codePoint)) {
          this.escape(c);
          this.escape(low);
        } else if (this.room(4)) {
          this.out[this.at++] = 0xf0 | (codePoint >> 18);
          this.out[this.at++] = 0x80 | ((codePoint >> 12) & 0x3f);
          this.out[this.at++] = 0x80 | ((codePoint >> 6) & 0x3f);
          this.out[this.at++] = 0x80 | (codePoint & 0x3f);
        }
      } else if (c < 0x80 || (c >= 0xd800 && c <= 0xdfff) || hiddenBmp(c)) {
        this.escape(c); // C0 and DEL, lone surrogates, hidden
      } else if (c < 0x800) {
        if (this.room(2)) {
          this.out[this.at++] = 0xc0 | (c >> 6);
          this.out[this.at++] = 0x80 | (c & 0x3f);
        }
      } else if (this.room(3)) {
        this.out[this.at++] = 0xe0 | (c >> 12);
        this.out[this.at++] = 0x80 | ((c >> 6) & 0x3f);
        this.out[this.at++] = 0x80 | (c & 0x3f);
      }
    }
    this.byte(QUOTE);
  }

  private escape(unit: number): void {
    if (!this.room(6)) return;
    this.out[this.at++] = BACKSLASH;
    this.out[this.at++] = U;
    this.out[this.at++] = HEX[(unit >> 12) & 15] ?? 0;
    this.out[this.at++] = HEX[(unit >> 8) & 15] ?? 0;
    this.out[this.at++] = HEX[(unit >> 4) & 15] ?? 0;
    this.out[this.at++] = HEX[unit & 15] ?? 0;
  }

  /** Bytes left. */
  get left(): number {
    return this.out.length - this.at;
  }

  text(): string {
    return this.out.toString("utf8", 0, this.at);
  }
}
