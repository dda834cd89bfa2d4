// Bundles the notifier into handler/dist/index.mjs (Lambda handler string
// `index.handler`). The infrastructure zips dist/ as the function's asset, so
// the build is deterministic down to the zip bytes: same sources, same
// `source_code_hash`, no spurious plan diff.
//
// Usage: node build.mjs [--outdir DIR] [--variant env-only|full|external]
//        (quiet on success: it runs inside `cdktf synth`)
// The bench (scripts/bench.mjs) imports buildBundle() to compare variants.
import { build } from "esbuild";
import { chmod, mkdir, readdir, rename, rm, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, "dist");

/**
 * How the AWS SDK gets into the bundle. Measured by `npm run bench`
 * (minified; zipped with cdktf's archiver; @aws-sdk/client-sns 3.1169.0):
 *   - "env-only": SDK bundled, credential chain replaced by the environment
 *                 provider (the one Lambda uses): 193 KiB, 66 KiB zipped.
 *                 <- used for the asset
 *   - "full":     SDK bundled with its default credential chain: 326 KiB,
 *                 104 KiB zipped, ~40% slower to import.
 *   - "external": SDK left to the Lambda runtime's copy: 23 KiB, 10 KiB zipped,
 *                 but loads the unbundled SDK at cold start.
 * "env-only" is the default: it pins the exact SDK version we test against
 * (the runtime's copy changes under us without a deploy) and drops the
 * SSO/INI/process/web-identity/IMDS/container providers that can never
 * succeed in Lambda. It still works end to end against moto with env
 * credentials (handler/test/bundle.test.ts).
 */
export const VARIANTS = ["env-only", "full", "external"];

/** Fixed timestamp for every file in dist/ (zip entries record mtimes). */
const FIXED_MTIME = new Date(Number(process.env.SOURCE_DATE_EPOCH ?? 946_684_800) * 1000); // 2000-01-01T00:00:00Z

const envOnlyCredentials = {
  name: "env-only-credentials",
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: join(here, "src", "shims", "credential-provider-node.ts"),
    }));
  },
};

/**
 * @param {{ variant?: string, outdir?: string, metafile?: boolean }} [options]
 */
export async function buildBundle({ variant = "env-only", outdir = DIST, metafile = false } = {}) {
  if (!VARIANTS.includes(variant)) throw new Error(`unknown variant ${variant}; expected one of ${VARIANTS.join(", ")}`);
  // Built aside, then moved in file by file (rename replaces atomically): a synth that reads dist/ while
  // another process rebuilds it never finds index.mjs missing.
  const staging = `${outdir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: here,
    entryPoints: [join(here, "src", "index.ts")],
    outfile: join(staging, "index.mjs"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    // Prefer the SDK's ES module builds: they tree-shake better than dist-cjs.
    mainFields: ["module", "main"],
    minify: true,
    legalComments: "none",
    sourcemap: false,
    // CommonJS dependencies that require() Node built-ins need a real require in ESM.
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
    external: variant === "external" ? ["@aws-sdk/*", "@smithy/*"] : [],
    plugins: variant === "env-only" ? [envOnlyCredentials] : [],
    metafile,
    logLevel: "warning",
  });
  await normaliseFiles(staging);
  await mkdir(outdir, { recursive: true });
  const built = await readdir(staging);
  // Only what ships may be in dist/: a stale file would change the zip.
  for (const entry of await readdir(outdir)) if (!built.includes(entry)) await rm(join(outdir, entry), { recursive: true, force: true });
  for (const entry of built) await rename(join(staging, entry), join(outdir, entry));
  await rm(staging, { recursive: true, force: true });
  await normaliseFiles(outdir);
  return result;
}

/** Fixed mtime and mode 0644 for every file (and 0755 for directories), so the zip is byte-identical. */
async function normaliseFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await normaliseFiles(path);
    } else {
      await chmod(path, 0o644);
      await utimes(path, FIXED_MTIME, FIXED_MTIME);
    }
  }
  await chmod(dir, 0o755);
  await utimes(dir, FIXED_MTIME, FIXED_MTIME);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { outdir: { type: "string" }, variant: { type: "string" } } });
  await buildBundle({ outdir: values.outdir ?? DIST, variant: values.variant ?? "env-only" });
}
