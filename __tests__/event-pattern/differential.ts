/**
 * Compares tools/event-pattern with the oracle (AWS's own matching library)
 * on one batch: the same patterns, the same events, one JVM run.
 */
import { compilePattern, patternProblem, type CompiledPattern } from "../../tools/event-pattern";
import { runOracle, type OracleInput } from "../support/oracle";

export interface Disagreement {
  readonly kind: "validity" | "match";
  readonly pattern: string;
  readonly event?: string;
  readonly detail: string;
}

export interface DifferentialResult {
  readonly patterns: number;
  readonly validPatterns: number;
  readonly invalidPatterns: number;
  readonly events: number;
  /** Verdicts compared: valid patterns × events. */
  readonly verdicts: number;
  /** Of those, how many matched (both agreeing). */
  readonly matched: number;
  readonly disagreements: readonly Disagreement[];
}

export function differential(runScript: string, input: OracleInput): DifferentialResult {
  const oracle = runOracle(runScript, input);
  if (oracle.eventErrors !== undefined) throw new Error(`the oracle could not match some events: ${JSON.stringify(oracle.eventErrors)}`);
  const disagreements: Disagreement[] = [];
  const compiled = new Map<string, CompiledPattern>();
  for (const [name, pattern] of Object.entries(input.patterns)) {
    const problem = patternProblem(pattern);
    const theirs = oracle.invalid[name];
    if ((problem === undefined) !== (theirs === undefined)) {
      disagreements.push({
        kind: "validity",
        pattern: name,
        detail: `${JSON.stringify(pattern)}: ours ${problem?.message ?? "valid"}; oracle ${theirs?.split("\n")[0] ?? "valid"}`,
      });
    } else if (problem === undefined) {
      compiled.set(name, compilePattern(pattern));
    }
  }
  let matched = 0;
  for (const { id, event } of input.events) {
    const theirs = new Set(oracle.matches[id] ?? []);
    for (const [name, rule] of compiled) {
      const ours = rule.matches(event);
      if (ours && theirs.has(name)) matched += 1;
      if (ours !== theirs.has(name)) {
        disagreements.push({
          kind: "match",
          pattern: name,
          event: id,
          detail: `${JSON.stringify(input.patterns[name])} on ${JSON.stringify(event).slice(0, 400)}: ours ${ours}, oracle ${theirs.has(name)}`,
        });
      }
    }
  }
  const patterns = Object.keys(input.patterns).length;
  return {
    patterns,
    validPatterns: compiled.size,
    invalidPatterns: Object.keys(oracle.invalid).length,
    events: input.events.length,
    verdicts: compiled.size * input.events.length,
    matched,
    disagreements,
  };
}
