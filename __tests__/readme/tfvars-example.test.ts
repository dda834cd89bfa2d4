/**
 * terraform.tfvars.example lists every declared variable, once, and the
 * commented-out values are the defaults: read through Terraform itself, from
 * the file with every `# name = ...` assignment uncommented.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findUndeclaredVariables, hclTopLevelKeys } from "../../tools/terraform-inputs";
import { PROJECT_ROOT, synthStack, type Json } from "../support/synth";

const EXAMPLE = readFileSync(join(PROJECT_ROOT, "terraform.tfvars.example"), "utf8");
const declared: Record<string, { default?: unknown }> = synthStack().variable;

/** The example with each commented-out assignment (`# name = ...`, continued while brackets are open) uncommented. */
function uncommented(text: string): { readonly text: string; readonly commented: Set<string> } {
  const commented = new Set<string>();
  let depth = 0;
  const lines = text.split("\n").map((line) => {
    const start = depth === 0 ? /^# ([a-z_][a-z0-9_]*) = /.exec(line) : null;
    if (start === null && depth === 0) return line;
    if (start !== null) commented.add(start[1]!);
    const code = line.replace(/^# ?/, "");
    depth += (code.match(/[[{]/g) ?? []).length - (code.match(/[\]}]/g) ?? []).length;
    return code;
  });
  return { text: lines.join("\n"), commented };
}

const { text: ALL_SET, commented } = uncommented(EXAMPLE);

describe("terraform.tfvars.example", () => {
  it("assigns every declared variable exactly once, commented out or set", () => {
    const names = hclTopLevelKeys(ALL_SET).map((k) => k.name);
    expect([...names].sort()).toEqual(Object.keys(declared).sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it("names no undeclared variable", () => {
    expect(findUndeclaredVariables(Object.keys(declared), [{ shownPath: "terraform.tfvars.example", text: ALL_SET }], {})).toEqual([]);
  });

  it("says the default of each variable it sets to an example value", () => {
    const set = Object.keys(declared).filter((name) => !commented.has(name));
    expect(set).toEqual(["sns_endpoint"]);
    for (const name of set) {
      const before = EXAMPLE.slice(0, EXAMPLE.search(new RegExp(`^${name} = `, "m")));
      const comment = before.slice(before.lastIndexOf("\n\n"));
      expect(comment, name).toContain(`Default: ${JSON.stringify(declared[name]!.default)}`);
    }
  });

  const terraform = spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;
  it.runIf(terraform)("holds the defaults, as Terraform reads them, and they pass validation", () => {
    // Prepare: the stack's variables with one output each, and the uncommented example as a var file.
    const dir = mkdtempSync(join(tmpdir(), "cta-tfvars-example-"));
    try {
      const output = Object.fromEntries(Object.keys(declared).map((name) => [name, { value: `\${var.${name}}` }]));
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ variable: declared, output }));
      writeFileSync(join(dir, "example.tfvars"), ALL_SET);
      const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
      const tf = (...args: string[]) => spawnSync("terraform", args, { cwd: dir, env, encoding: "utf8" });

      // Act
      const apply = tf("apply", "-auto-approve", "-input=false", "-no-color", "-var-file=example.tfvars");
      expect(apply.status, apply.stderr).toBe(0);
      const values = JSON.parse(tf("output", "-json").stdout) as Record<string, { value: Json }>;

      // Assess
      for (const [name, variable] of Object.entries(declared)) {
        if (commented.has(name)) expect(values[name]?.value, name).toEqual(variable.default ?? null);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
