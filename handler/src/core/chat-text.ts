/**
 * Untrusted text made inert for chat Markdown (Slack and Microsoft Teams
 * through Amazon Q Developer custom notifications): no formatting, link or
 * mention a user-controlled name carries survives, invisible characters are
 * shown, and every value is cut with both ends kept. See chat.ts for the
 * notification these go into.
 */
import { bounded } from "./fields.js";

/**
 * Look-alikes for what could act inside an inline code span: a backtick would
 * close it; `<`, `>` and `&` form Slack control sequences (mentions such as
 * `<!channel>`, links); `@` a mention.
 */
const CODE_SAFE: Readonly<Record<string, string>> = {
  "`": "ˋ", // U+02CB MODIFIER LETTER GRAVE ACCENT
  "<": "‹", // U+2039
  ">": "›", // U+203A
  "&": "＆", // U+FF06
  "@": "＠", // U+FF20
};

/** Outside a code span, Markdown emphasis and strike markers too. */
const TEXT_SAFE: Readonly<Record<string, string>> = {
  ...CODE_SAFE,
  "*": "∗", // U+2217 ASTERISK OPERATOR
  _: "ˍ", // U+02CD MODIFIER LETTER LOW MACRON
  "~": "∼", // U+223C TILDE OPERATOR
};

/**
 * Code points a reader cannot see, that reorder or break the text, or that
 * are not characters: controls, format characters (bidi overrides, zero-width
 * joiners, tags), private-use and unassigned code points, line and paragraph
 * separators, default-ignorables, non-characters and spaces other than U+0020.
 */
const HIDDEN =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2800]/gu;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function showHidden(text: string): string {
  return text.replace(HIDDEN, (ch) => {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) return short;
    const cp = ch.codePointAt(0) ?? 0;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
  });
}

/** A label, `www.`, or a dotted name ending in a letter label: what a chat client may turn into a link. */
const DOMAIN_LIKE = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}\b/gi;

function defang(text: string): string {
  return text.replace(/:\/\//g, "[:]//").replace(DOMAIN_LIKE, (name) => name.replace(/\./g, "[.]"));
}

function replaceAll(text: string, table: Readonly<Record<string, string>>): string {
  let out = "";
  for (const ch of text) out += table[ch] ?? ch;
  return out;
}

/** Untrusted text made inert for the chat, cut to `maxChars` (both ends kept). */
function neutralise(raw: string, maxChars: number, table: Readonly<Record<string, string>>): string {
  const windowed = bounded(raw, maxChars) ?? "";
  // "](" also inside code spans: a client that rendered a span as text would still see no link.
  const safe = defang(replaceAll(showHidden(windowed), table)).replace(/\]\(/g, "]（");
  return bounded(safe, maxChars) ?? "";
}

/** Untrusted text for plain chat Markdown (title, summary, keywords, metadata): no formatting, link or mention survives. */
export function inert(raw: string, maxChars: number): string {
  const text = neutralise(raw, maxChars, TEXT_SAFE).replace(/^#/, "＃"); // a heading in Teams
  return text === "" ? "(empty)" : text;
}

/** Untrusted text as an inline code span: shown literally, and nothing inside can end the span or act. */
export function code(raw: string, maxChars: number): string {
  const text = neutralise(raw, maxChars, CODE_SAFE);
  return `\`${text === "" ? "(empty)" : text}\``;
}
