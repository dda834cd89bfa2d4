/**
 * "Did you mean ...?" for a name that is not declared.
 *
 * Edit distance is a dozen lines, so it lives here rather than in a
 * dependency: this project's deploy path should pull in as little third-party
 * code as it can, and the function is pinned by tests. It counts an adjacent
 * transposition as one edit ("optimal string alignment"), so `sns_ednpoint`
 * is as close to `sns_endpoint` as `sns_endpoints` is.
 */

/** Insertions, deletions, substitutions and adjacent transpositions turning `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `name` (case and `-`/`_` ignored), when it is close
 * enough to be a likely typo: at most 2 edits, or a third of the name's length
 * for long names. Ties go to the first candidate in order.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const normal = (value: string): string => value.toLowerCase().replace(/-/g, "_");
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { readonly candidate: string; readonly distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(normal(name), normal(candidate));
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
