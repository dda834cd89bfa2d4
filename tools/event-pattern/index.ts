/**
 * An EventBridge event pattern matcher: the documented pattern language, with
 * the validation EventBridge applies, checked against AWS's own matching
 * library. Pure: no AWS calls, no I/O.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *
 * Compile a pattern once, then match many events:
 *
 *   const rule = compilePattern('{"source": ["aws.iam"]}');
 *   rule.matches(event); // event: the parsed EventBridge event (envelope and detail)
 */
import { compileSubRules, type SubRule } from "./compile";
import { PatternError } from "./errors";
import { SubRuleMatcher } from "./match";

export { PatternError } from "./errors";

export interface CompiledPattern {
  /** The pattern as parsed. */
  readonly pattern: Readonly<Record<string, unknown>>;
  /** How many alternatives the `$or`s spell out. */
  readonly subRuleCount: number;
  /** Whether EventBridge would deliver `event` to a rule with this pattern. */
  matches(event: unknown): boolean;
}

/**
 * Validates and compiles a pattern (an object, or its JSON text as a rule's
 * `event_pattern` holds it). Throws PatternError: where, and what is wrong.
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  const parsed = typeof pattern === "string" ? parseJson(pattern) : pattern;
  const subRules: SubRule[] = compileSubRules(parsed);
  const matcher = new SubRuleMatcher(subRules);
  return {
    pattern: parsed as Record<string, unknown>,
    subRuleCount: subRules.length,
    matches: (event) => matcher.matches(event),
  };
}

/** The problem EventBridge would refuse the pattern for, or undefined when it is valid. */
export function patternProblem(pattern: unknown): PatternError | undefined {
  try {
    compilePattern(pattern);
    return undefined;
  } catch (err: unknown) {
    if (err instanceof PatternError) return err;
    throw err;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err: unknown) {
    throw new PatternError("(pattern)", `not valid JSON: ${(err as Error).message}`);
  }
}
