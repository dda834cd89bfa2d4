/**
 * The EventBridge pattern oracle: AWS's own matching library (aws/event-ruler)
 * behind a JSON command-line wrapper, kept in shared/ beside the repository
 * (`../shared/tools/eventbridge-oracle`, see its README). Needs Java 17+.
 *
 * Found at, in order: $EVENTBRIDGE_ORACLE_DIR; `../shared/...` from the
 * repository root (CI's layout); `../shared/...` from the main checkout that
 * a git worktree belongs to.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PROJECT_ROOT } from "./synth";

const RELATIVE = join("shared", "tools", "eventbridge-oracle");

function candidates(): string[] {
  const list: string[] = [];
  if (process.env.EVENTBRIDGE_ORACLE_DIR) list.push(process.env.EVENTBRIDGE_ORACLE_DIR);
  list.push(resolve(PROJECT_ROOT, "..", RELATIVE));
  const common = spawnSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: PROJECT_ROOT, encoding: "utf8" });
  if (common.status === 0 && common.stdout.trim() !== "") list.push(resolve(dirname(common.stdout.trim()), "..", RELATIVE));
  return list;
}

export interface OracleLocation {
  /** The wrapper script, when found and Java runs. */
  readonly runScript?: string;
  /** What is missing, for the skip message. */
  readonly missing: string[];
}

export function locateOracle(): OracleLocation {
  const missing: string[] = [];
  const dir = candidates().find((c) => existsSync(join(c, "run.sh")) && existsSync(join(c, "oracle.jar")));
  if (dir === undefined) missing.push(`the oracle (run.sh and oracle.jar in any of: ${candidates().join(", ")})`);
  const java = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (java.status !== 0) missing.push("java (Java 17+ on PATH)");
  return missing.length === 0 ? { runScript: join(dir!, "run.sh"), missing } : { missing };
}

export interface OracleInput {
  /** Pattern name → pattern (object or JSON text). */
  readonly patterns: Readonly<Record<string, unknown>>;
  /** Full EventBridge events, each with an id of ours. */
  readonly events: readonly { readonly id: string; readonly event: unknown }[];
}

export interface OracleOutput {
  /** Pattern name → the library's reason, for patterns it refuses. */
  readonly invalid: Readonly<Record<string, string>>;
  /** Event id → names of the patterns it matches. */
  readonly matches: Readonly<Record<string, readonly string[]>>;
  readonly eventErrors?: Readonly<Record<string, string>>;
}

/** One JVM run for a whole batch: its start costs about half a second. */
export function runOracle(runScript: string, input: OracleInput): OracleOutput {
  const out = spawnSync(runScript, [], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (out.status !== 0 && out.status !== 3) {
    throw new Error(`oracle exited ${out.status}: ${out.stderr}`);
  }
  return JSON.parse(out.stdout) as OracleOutput;
}
