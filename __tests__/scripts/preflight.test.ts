/**
 * Before `npm ci`, every npm script that needs node_modules (and cdktf.json's
 * app) says so on its first line, instead of "sh: tsx: not found".
 * Runs on copies of the project's manifests in a scratch folder.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv } from "../support/npm-script";
import { PROJECT_ROOT } from "../support/synth";

const rootPackage = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** A fresh clone's manifests and preflight, without node_modules. */
function freshClone(): string {
  scratch = mkdtempSync(join(tmpdir(), "cta-preflight-"));
  for (const file of ["package.json", "cdktf.json", "scripts/preflight.mjs", "handler/package.json"]) {
    mkdirSync(join(scratch, file, ".."), { recursive: true });
    cpSync(join(PROJECT_ROOT, file), join(scratch, file));
  }
  return scratch;
}

const preflight = (dir: string) => spawnSync(process.execPath, [join(dir, "scripts", "preflight.mjs")], { encoding: "utf8" });

describe("preflight", () => {
  it("passes in the project, where npm ci has run", () => {
    const result = preflight(PROJECT_ROOT);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("before npm ci: exits 1 and says to run npm ci", () => {
    const dir = freshClone();
    const result = preflight(dir);
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n")[0]).toMatch(/^cloudtrail-alerting: dependencies are not installed \(node_modules\/\S+ is missing, and \d+ more\)\.$/);
    expect(result.stderr).toContain("Run `npm ci` first");
  });

  it("after a pull that changed a pinned version: says to run npm ci again", () => {
    // Prepare: every dependency installed at its pinned version, but cdktf at another.
    const dir = freshClone();
    const handler = JSON.parse(readFileSync(join(dir, "handler", "package.json"), "utf8")) as { dependencies: object; devDependencies: object };
    const all = { ...rootPackage.dependencies, ...rootPackage.devDependencies, ...handler.dependencies, ...handler.devDependencies } as Record<string, string>;
    for (const [name, version] of Object.entries(all)) {
      mkdirSync(join(dir, "node_modules", name), { recursive: true });
      writeFileSync(join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, version: name === "cdktf" ? "0.20.0" : version }));
    }

    // Act
    const result = preflight(dir);

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n")[0]).toBe(`cloudtrail-alerting: node_modules is out of date (cdktf is 0.20.0, package.json pins ${all.cdktf}).`);
  });

  it("runs first in every npm script that needs node_modules, and in cdktf.json's app", () => {
    const needsPreflight = ["build", "synth", "typecheck", "test", "deploy", "destroy", "plan", "redrive", "backtest", "status"];
    for (const script of needsPreflight) expect(rootPackage.scripts[script], script).toMatch(/^node scripts\/preflight\.mjs && /);
    // The others start with `npm run build`, which has it.
    for (const script of ["e2e", "bench"]) expect(rootPackage.scripts[script], script).toMatch(/^npm run build && /);
    const cdktf = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdktf.json"), "utf8")) as { app: string };
    expect(cdktf.app).toMatch(/^node scripts\/preflight\.mjs && /);
  });

  it("npm run deploy in a fresh clone: the first line says to run npm ci", () => {
    const dir = freshClone();
    const result = spawnSync("npm", ["run", "deploy", "--", "--auto-approve"], { cwd: dir, env: cleanEnv(), encoding: "utf8" });
    expect(result.status).not.toBe(0);
    expect(result.stderr.split("\n")[0]).toMatch(/^cloudtrail-alerting: dependencies are not installed/);
    expect(result.stderr).not.toContain("not found");
  });
});
