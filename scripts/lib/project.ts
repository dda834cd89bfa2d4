/**
 * Where things are: the project, the folder the user ran `npm run` from, and
 * the synthesized stack.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";

export const PROJECT_ROOT = resolve(__dirname, "..", "..");

/** `npm run` starts scripts in the project root; paths the user typed are relative to where they were (INIT_CWD). */
export const CALLER_DIR = process.env.INIT_CWD ?? process.cwd();

/** A path the user typed, made absolute. */
export const fromCaller = (path: string): string => (isAbsolute(path) ? path : resolve(CALLER_DIR, path));

/** A path as the user would write it: relative to where they ran the command when it is below that folder. */
export const shownPath = (path: string): string => {
  const rel = relative(CALLER_DIR, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
};

/** The default synth output folder; the local state file is kept next to it (see src/config/state-backend.ts). */
export const DEFAULT_CDKTF_OUT = join(PROJECT_ROOT, "cdktf.out");

/** The one stack the app synthesized, from cdktf's manifest (so the stack name lives in main.ts only). */
export function stackDirectory(cdktfOut: string): string {
  const manifestFile = join(cdktfOut, "manifest.json");
  if (!existsSync(manifestFile)) throw new UserError(`${manifestFile} not found: synthesize first (run without --no-synth)`);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks?: Record<string, { workingDirectory: string }> };
  const stacks = Object.values(manifest.stacks ?? {});
  if (stacks.length !== 1) throw new UserError(`expected one stack in ${manifestFile}, found ${stacks.length}`);
  return join(cdktfOut, stacks[0]!.workingDirectory);
}

/** A failure the user can fix; its message is printed as it is, without a stack trace. */
export class UserError extends Error {}
