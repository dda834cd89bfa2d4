/**
 * Command-line tools a suite needs. Locally a missing tool skips the suite
 * loudly; in CI (`CI=true`) it fails the run instead: the emulator suites
 * must never silently skip there.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const INSTALL: Record<string, string> = {
  terraform: "terraform 1.10+ on PATH",
  moto_server: "moto_server on PATH (pip install 'moto[server]==5.2.1')",
  java: "Java 17+ on PATH",
};

/** Tools from the list that are not on PATH. */
export function missingTools(tools: readonly string[]): string[] {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  const onPath = (tool: string): boolean =>
    dirs.some((dir) => {
      try {
        accessSync(join(dir, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  return tools.filter((tool) => !onPath(tool));
}

/**
 * The missing tools for `what`; warns (skipping is then up to the caller's
 * `describe.skipIf`), or throws under CI.
 */
export function requireTools(tools: readonly string[], what: string): string[] {
  const missing = missingTools(tools);
  if (missing.length === 0) return missing;
  const message = `${what} needs ${missing.map((tool) => INSTALL[tool] ?? tool).join(" and ")}`;
  if (process.env.CI === "true") throw new Error(`${message}; CI must run it.`);
  console.warn(`\n!!! SKIPPED: ${message}.\n`);
  return missing;
}
