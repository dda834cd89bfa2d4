/**
 * `equals-ignore-case`, alone and inside `prefix`, `suffix` and `anything-but`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-equals-ignore-case-matching
 *
 * Each character of the pattern stands for its lower-case or its upper-case
 * form (as String.toLowerCase/toUpperCase give them, which may be two
 * characters: "ß" is "ß" or "SS"), and the event's text must be exactly a
 * sequence of those. That is how AWS's library behaves (checked against it
 * with "ß", "ς", "ǅ", "İ", "ﬁ" and the Kelvin sign): "straße" matches
 * "STRASSE", "σ" does not match "ς".
 */

/** Per pattern character, the texts it matches. */
export type CaseAlternatives = readonly (readonly string[])[];

export function caseAlternatives(pattern: string): CaseAlternatives {
  return Array.from(pattern, (c) => {
    const lower = c.toLowerCase();
    const upper = c.toUpperCase();
    return lower === upper ? [lower] : [lower, upper];
  });
}

/** Whether the whole of `value` matches. */
export function equalsIgnoringCase(alts: CaseAlternatives, value: string): boolean {
  return endOfMatch(alts, 0, value, 0, true);
}

/** Whether `value` starts with a match. */
export function startsIgnoringCase(alts: CaseAlternatives, value: string): boolean {
  return endOfMatch(alts, 0, value, 0, false);
}

/** Whether `value` ends with a match: matched backwards, from the last character. */
export function endsIgnoringCase(alts: CaseAlternatives, value: string): boolean {
  return backwards(alts, alts.length - 1, value, value.length);
}

function endOfMatch(alts: CaseAlternatives, i: number, value: string, at: number, whole: boolean): boolean {
  if (i === alts.length) return !whole || at === value.length;
  for (const alt of alts[i]!) {
    if (value.startsWith(alt, at) && endOfMatch(alts, i + 1, value, at + alt.length, whole)) return true;
  }
  return false;
}

function backwards(alts: CaseAlternatives, i: number, value: string, end: number): boolean {
  if (i < 0) return true;
  for (const alt of alts[i]!) {
    const start = end - alt.length;
    if (start >= 0 && value.startsWith(alt, start) && backwards(alts, i - 1, value, start)) return true;
  }
  return false;
}
