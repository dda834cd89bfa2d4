/**
 * The Lambda asset must be byte-identical across builds: cdktf zips the dist
 * folder with archiver (recording mtimes and modes) and Terraform compares
 * `source_code_hash`, so any drift shows up as a change in every plan.
 * Builds go to temporary folders so this never races with tests reading
 * handler/dist.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const BUILD_SCRIPT = fileURLToPath(new URL("../build.mjs", import.meta.url));
// The zip step `cdktf synth` itself runs for a TerraformAsset of type ARCHIVE.
const CDKTF_ARCHIVER = createRequire(import.meta.url).resolve("cdktf/lib/private/fs.js");

const work = mkdtempSync(join(tmpdir(), "notifier-build-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[]): void {
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stderr}`);
}

function buildAndZip(outdir: string, zip: string): string {
  run([BUILD_SCRIPT, "--outdir", outdir]);
  run([CDKTF_ARCHIVER, outdir, zip]);
  return createHash("sha256").update(readFileSync(zip)).digest("hex");
}

describe("handler build", () => {
  it("produces the same zip bytes on every build, in any checkout folder", () => {
    const first = buildAndZip(join(work, "a"), join(work, "a1.zip"));
    const rebuilt = buildAndZip(join(work, "a"), join(work, "a2.zip"));
    const elsewhere = buildAndZip(join(work, "b"), join(work, "b.zip"));

    expect(rebuilt).toBe(first);
    expect(elsewhere).toBe(first);
  });

  it("ships only index.mjs, with a fixed mtime and mode 0644", () => {
    const outdir = join(work, "c");
    run([BUILD_SCRIPT, "--outdir", outdir]);

    expect(readdirSync(outdir)).toEqual(["index.mjs"]);
    const stat = statSync(join(outdir, "index.mjs"));
    expect(stat.mtime.toISOString()).toBe("2000-01-01T00:00:00.000Z");
    expect(stat.mode & 0o777).toBe(0o644);
  });

  it("removes files a previous build left behind", () => {
    const outdir = join(work, "d");
    run([BUILD_SCRIPT, "--outdir", outdir]);
    writeFileSync(join(outdir, "stale.js"), "");

    run([BUILD_SCRIPT, "--outdir", outdir]);

    expect(readdirSync(outdir)).toEqual(["index.mjs"]);
  });

  it("exports handler and replaces the default credential chain with the env provider", () => {
    const outdir = join(work, "e");
    run([BUILD_SCRIPT, "--outdir", outdir]);
    const bundle = readFileSync(join(outdir, "index.mjs"), "utf8");

    expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b/);
    // Markers of providers that can never succeed in Lambda (all present in the "full" variant).
    for (const marker of ["credential-provider-sso", "credential-provider-ini", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI"]) {
      expect(bundle).not.toContain(marker);
    }
  });
});
