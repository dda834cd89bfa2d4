/**
 * The `wildcard` operator: `*` stands for any run of characters (none
 * included); `\*` is a literal star and `\\` a literal backslash; any other
 * escape, and two unescaped stars in a row, make the pattern invalid.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching
 */

/** The literal pieces between stars: `a*b*` is ["a", "b", ""]; a pattern without a star is one piece. */
export type Wildcard = readonly string[];

/** Throws an Error naming the position of the first problem. */
export function parseWildcard(text: string): Wildcard {
  const pieces: string[] = [];
  let piece = "";
  let lastWasStar = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "\\") {
      const next = text[i + 1];
      if (next !== "*" && next !== "\\") {
        throw new Error(`invalid escape at position ${i + 1}: only \\* (a star) and \\\\ (a backslash) may be escaped`);
      }
      piece += next;
      i += 1;
      lastWasStar = false;
    } else if (c === "*") {
      if (lastWasStar) throw new Error(`two wildcard characters in a row at position ${i}`);
      pieces.push(piece);
      piece = "";
      lastWasStar = true;
    } else {
      piece += c;
      lastWasStar = false;
    }
  }
  pieces.push(piece);
  return pieces;
}

/** Whether `value` matches: first piece at the start, last at the end, the others in order between. */
export function matchesWildcard(pieces: Wildcard, value: string): boolean {
  const first = pieces[0]!;
  if (pieces.length === 1) return value === first;
  const last = pieces[pieces.length - 1]!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // Greedy leftmost placement of the middle pieces is optimal: each star absorbs what lies between.
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i += 1) {
    const found = value.indexOf(pieces[i]!, at);
    if (found < 0 || found + pieces[i]!.length > end) return false;
    at = found + pieces[i]!.length;
  }
  return true;
}
