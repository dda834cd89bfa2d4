#!/usr/bin/env node
// Numbers for the notifier handler (not a test): bundle size raw and zipped
// for each way of shipping the AWS SDK, the time to load the bundle in a
// fresh Node process, the time to format one event over the sample corpus,
// and the worst case over adversarial events of at most 256 KB (time and
// peak memory per event, each in its own process).
//
// Usage: npm run bench   (builds handler/dist first)
//        BENCH_SPAWNS=30 npm run bench
//        BENCH_ONLY=adversarial npm run bench   (skip bundle sizes and load times)
//        BENCH_ONLY=backtest npm run bench      (only the backtest: throughput beside its floor, peak RSS)
//        BENCH_ONLY=terraform npm run bench     (only the test suite's terraform plan CPU, GOGC 100 beside 400)
//        BENCH_BACKTEST_MB=256 npm run bench    (size of the backtest's input, MB of JSON; default 1024)
//        BENCH_REPEATS=5 npm run bench           (processes per adversarial event, default 3)
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildBundle, DIST, VARIANTS } from "../handler/build.mjs";
import { adversarialBench } from "./bench-adversarial-section.mjs";
import { backtestBench } from "./bench-backtest-section.mjs";
import { kib, median, ms, percentile, us } from "./bench-numbers.mjs";
import { terraformBench } from "./bench-terraform-section.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
// The zip step `cdktf synth` runs for the Lambda asset: same archiver, same settings.
const cdktfArchiver = require.resolve("cdktf/lib/private/fs.js");
const spawns = Number(process.env.BENCH_SPAWNS ?? 20);
const only = process.env.BENCH_ONLY;
const work = mkdtempSync(join(tmpdir(), "notifier-bench-"));
// The "external" bundle must sit where `@aws-sdk/*` resolves (the root node_modules),
// standing in for the copy the Lambda runtime provides.
const externalDir = join(root, "node_modules", ".cache", "notifier-bench", "external");


function zipSize(dir, name) {
  const zip = join(work, `${name}.zip`);
  execFileSync(process.execPath, [cdktfArchiver, dir, zip]);
  return statSync(zip).size;
}

/** Median over fresh processes: time of `await import(bundle)` inside the child, and the child's wall time. */
function loadTimes(bundle) {
  const probe = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(bundle).href)});process.stdout.write(String(performance.now()-t));`;
  const env = {
    PATH: process.env.PATH ?? "",
    TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:bench",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    NODE_NO_WARNINGS: "1",
  };
  const run = (args) => {
    const start = process.hrtime.bigint();
    const out = spawnSync(process.execPath, args, { env, encoding: "utf8" });
    if (out.status !== 0) throw new Error(`load probe failed: ${out.stderr}`);
    return { wall: Number(process.hrtime.bigint() - start) / 1e6, inner: Number(out.stdout) };
  };
  const baseline = [];
  const withBundle = [];
  run(["--input-type=module", "-e", probe]); // warm the OS file cache
  for (let i = 0; i < spawns; i += 1) {
    baseline.push(run(["--input-type=module", "-e", ""]).wall);
    withBundle.push(run(["--input-type=module", "-e", probe]));
  }
  return {
    importMs: median(withBundle.map((r) => r.inner)),
    wallMs: median(withBundle.map((r) => r.wall)),
    baselineMs: median(baseline),
  };
}

async function formatTimes() {
  // The core and the corpus loader, bundled and minified like the Lambda bundle.
  const outfile = join(work, "core.mjs");
  await build({
    stdin: {
      contents:
        'export { formatAlert } from "./handler/src/core/index.ts";\n' +
        'export { loadSampleFiles, toEventBridgeEvent } from "./handler/test/support/samples.ts";\n',
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    minify: true,
    outfile,
    logLevel: "warning",
  });
  const { formatAlert, loadSampleFiles, toEventBridgeEvent } = await import(pathToFileURL(outfile).href);
  const events = loadSampleFiles(join(root, "__tests__", "fixtures", "cloudtrail"))
    .flatMap((f) => f.records)
    .map((record, i) => toEventBridgeEvent(record, i));
  for (const event of events) formatAlert(event); // warm-up (JIT)
  const samples = [];
  let sink = 0;
  for (let round = 0; round < 5; round += 1) {
    for (const event of events) {
      const start = process.hrtime.bigint();
      sink += formatAlert(event).message.length;
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const total = samples.reduce((a, b) => a + b, 0);
  return { events: events.length, median: median(samples), p95: percentile(samples, 95), mean: total / samples.length, sink, outfile };
}

try {
  if (only === "backtest") backtestBench();
  else if (only === "terraform") await terraformBench();
  else {
    if (only !== "adversarial") await bundlesAndLoadTimes();
    const f = await formatTimes();
    console.log(`\nFormat one event (pure core, ${f.events} corpus events x 5 rounds after warm-up):`);
    console.log(`median ${us(f.median)}   p95 ${us(f.p95)}   mean ${us(f.mean)}`);

    adversarialBench(f.outfile, work);
    if (only !== "adversarial") {
      backtestBench();
      await terraformBench();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(join(root, "node_modules", ".cache", "notifier-bench"), { recursive: true, force: true });
}

async function bundlesAndLoadTimes() {
  console.log("Notifier bundle (minified ESM, node22). Zip = cdktf's archiver, as for the Lambda asset.\n");
  console.log("variant    raw          zipped      note");
  const sizes = {};
  for (const variant of VARIANTS) {
    const outdir = variant === "external" ? externalDir : join(work, variant);
    await buildBundle({ variant, outdir });
    const raw = statSync(join(outdir, "index.mjs")).size;
    const zipped = zipSize(outdir, variant);
    sizes[variant] = { raw, zipped };
    const note = {
      "env-only": "SDK bundled, env credentials only  <- shipped (handler/dist)",
      full: "SDK bundled with the default credential chain",
      external: "SDK from the Lambda runtime (not pinned)",
    }[variant];
    console.log(`${variant.padEnd(10)} ${kib(raw).padEnd(12)} ${kib(zipped).padEnd(11)} ${note}`);
  }

  const shipped = readFileSync(join(DIST, "index.mjs"));
  if (shipped.length !== sizes["env-only"].raw) console.log(`\n(warning: handler/dist/index.mjs is ${shipped.length} bytes; rebuild with npm run build)`);

  console.log(`\nCold load in a fresh Node ${process.version} process (median of ${spawns} spawns):`);
  for (const [label, bundle] of [
    ["env-only", join(DIST, "index.mjs")],
    ["full", join(work, "full", "index.mjs")],
    ["external", join(externalDir, "index.mjs")],
  ]) {
    const t = loadTimes(bundle);
    console.log(
      `${label.padEnd(10)} import ${ms(t.importMs).padEnd(10)} process wall ${ms(t.wallMs)} (empty node: ${ms(t.baselineMs)})`,
    );
  }
  console.log("(external loads the SDK from node_modules here; in Lambda, from the runtime's own copy)");
}
