/**
 * Runs one of the project's npm scripts as a user does (`npm run deploy --
 * ...`), from a folder of the test's choosing: npm sets INIT_CWD to it, so
 * relative paths resolve and print as they would for the user.
 */
import { spawn } from "node:child_process";
import { PROJECT_ROOT } from "./synth";

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * The test's own environment without anything that would change the result
 * on a developer's machine: TF_VAR_* and TF_WORKSPACE, and AWS settings
 * (credentials, profile, endpoint) unless the test passes them in `env`.
 */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(TF_VAR_|TF_WORKSPACE$|AWS_|INIT_CWD$|npm_)/.test(name)),
  );
  return { ...kept, ...env };
}

export function runNpmScript(script: string, args: readonly string[], options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): Promise<ScriptRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["--prefix", PROJECT_ROOT, "run", script, "--", ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr, seconds: Math.round((Date.now() - started) / 100) / 10 }));
  });
}

/** stdout without npm's own banner (`> name@version script` and the command line). */
export const withoutNpmBanner = (stdout: string): string =>
  stdout
    .split("\n")
    .filter((line) => !line.startsWith("> ") && line.trim() !== "")
    .join("\n");

/** stderr without npm's own failure lines (`npm error ...`). */
export const withoutNpmErrors = (stderr: string): string =>
  stderr
    .split("\n")
    .filter((line) => !/^npm (error|ERR!)/.test(line))
    .join("\n");
