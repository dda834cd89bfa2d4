/**
 * Why a pattern is not one EventBridge would accept, and where in it.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export class PatternError extends Error {
  override readonly name = "PatternError";

  /**
   * @param path where in the pattern: `detail.userIdentity.type[0]`, or `(pattern)` for the whole
   * @param reason what is wrong there and, where it helps, what would be accepted
   */
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** `a.b` for object keys, `a.b[2]` for array positions, `(pattern)` for the root. */
export function pathText(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(pattern)";
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? part : `.${part}`;
  }
  return text;
}
