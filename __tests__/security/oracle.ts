/**
 * AWS's own EventBridge matcher (aws/event-ruler behind a JSON wrapper, see
 * its README) as a test oracle: one JVM per call, so callers batch every
 * pattern and event into one call.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "../support/synth";
import type { EventPattern } from "../../src/detection";

const RELATIVE = join("shared", "tools", "eventbridge-oracle", "run.sh");

/**
 * `shared/tools/eventbridge-oracle/run.sh` beside the repository (`../shared`
 * from a clone), or beside any folder above it (a worktree nested deeper);
 * `EVENTBRIDGE_ORACLE` overrides.
 */
function findOracle(): string | undefined {
  if (process.env.EVENTBRIDGE_ORACLE) return process.env.EVENTBRIDGE_ORACLE;
  for (let dir = dirname(PROJECT_ROOT); ; dir = dirname(dir)) {
    if (existsSync(join(dir, RELATIVE))) return join(dir, RELATIVE);
    if (dirname(dir) === dir) return undefined;
  }
}

export const ORACLE = findOracle();

/** What is missing for the oracle to run here (empty when it can run). */
export function oracleMissing(): string[] {
  const missing: string[] = [];
  if (ORACLE === undefined) missing.push(`the EventBridge oracle (${RELATIVE} beside the repository or a folder above it)`);
  if (spawnSync("java", ["-version"], { stdio: "ignore" }).status !== 0) missing.push("java (17+)");
  return missing;
}

export interface OracleEvent {
  readonly id: string;
  readonly event: Record<string, unknown>;
}

export interface OracleResult {
  /** Pattern name -> the library's reason, for patterns EventBridge would reject. */
  readonly invalid: Record<string, string>;
  /** Event id -> names of the patterns it matches. */
  readonly matches: Record<string, string[]>;
}

export function runOracle(patterns: Record<string, EventPattern>, events: OracleEvent[]): OracleResult {
  if (ORACLE === undefined) throw new Error(oracleMissing().join(", "));
  const run = spawnSync(ORACLE, [], { input: JSON.stringify({ patterns, events }), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined) throw run.error;
  if (run.status !== 0) throw new Error(`eventbridge-oracle exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const out = JSON.parse(run.stdout) as Partial<OracleResult>;
  return { invalid: out.invalid ?? {}, matches: out.matches ?? {} };
}
