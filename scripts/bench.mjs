#!/usr/bin/env node
// Numbers for the notifier handler (not a test): bundle size raw and zipped
// for each way of shipping the AWS SDK, the time to load the bundle in a
// fresh Node process, and the time to format one event over the sample corpus.
// Then the backtest's throughput beside its floor (gunzip + JSON.parse of the
// same files) and its peak RSS, over ~1 GB of log data made from the corpus.
//
// Usage: npm run bench   (builds handler/dist first)
//        BENCH_SPAWNS=30 npm run bench
//        BENCH_BACKTEST_MB=256 npm run bench   (size of the backtest's input, MB of JSON; default 1024)
//        BENCH_ONLY=backtest npm run bench     (only the backtest section)
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildBundle, DIST, VARIANTS } from "../handler/build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
// The zip step `cdktf synth` runs for the Lambda asset: same archiver, same settings.
const cdktfArchiver = require.resolve("cdktf/lib/private/fs.js");
const spawns = Number(process.env.BENCH_SPAWNS ?? 20);
const work = mkdtempSync(join(tmpdir(), "notifier-bench-"));
// The "external" bundle must sit where `@aws-sdk/*` resolves (the root node_modules),
// standing in for the copy the Lambda runtime provides.
const externalDir = join(root, "node_modules", ".cache", "notifier-bench", "external");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (x) => `${x.toFixed(1)} ms`;
const us = (x) => `${(x * 1000).toFixed(1)} us`;

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
  return { events: events.length, median: median(samples), p95: percentile(samples, 95), mean: total / samples.length, sink };
}

const CORPUS_LOGS = join(root, "__tests__", "fixtures", "cloudtrail", "logs");
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
const rate = (n) => Math.round(n).toLocaleString("en-US");

/**
 * ~targetBytes of CloudTrail JSON as CloudTrail delivers it (.json.gz, the
 * AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ layout): the corpus's log
 * files, each gzipped once and written again and again under new names.
 */
function makeLogs(dir, targetBytes) {
  const corpus = readdirSync(CORPUS_LOGS)
    .filter((name) => name.endsWith(".json"))
    .map((name) => {
      const raw = readFileSync(join(CORPUS_LOGS, name));
      return { raw: raw.length, gz: gzipSync(raw) };
    });
  let json = 0;
  let disk = 0;
  let files = 0;
  for (let copy = 0; json < targetBytes; copy += 1) {
    const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2024", String(1 + (copy % 12)).padStart(2, "0"), String(1 + (copy % 28)).padStart(2, "0"));
    mkdirSync(day, { recursive: true });
    for (const [i, file] of corpus.entries()) {
      writeFileSync(join(day, `111122223333_CloudTrail_us-east-1_${copy}_${i}.json.gz`), file.gz);
      json += file.raw;
      disk += file.gz.length;
      files += 1;
    }
  }
  return { json, disk, files };
}

/** One measurement in a fresh process, pinned to one core when taskset exists (the zlib threads share it). */
function measure(mode, dir, varFile) {
  const pinned = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  const command = [process.execPath, "--import", "tsx", join(root, "scripts", "bench-backtest.ts"), mode, dir, ...(varFile ? [varFile] : [])];
  const out = spawnSync(pinned ? "taskset" : command[0], pinned ? ["-c", "0", ...command] : command.slice(1), { cwd: root, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`bench-backtest ${mode} failed: ${out.stderr}`);
  return { ...JSON.parse(out.stdout), pinned };
}

function backtestBench() {
  const target = Number(process.env.BENCH_BACKTEST_MB ?? 1024) * 1e6;
  const dir = mkdtempSync(join(tmpdir(), "backtest-bench-"));
  try {
    const made = makeLogs(dir, target);
    const allPresets = join(root, "__tests__", "fixtures", "backtest", "all-presets.tfvars");
    // Side by side, alternating, best of two: the machine may be shared. Rates per CPU second (user + system,
    // all threads) are steadier there than wall-clock ones; both are shown.
    const runs = { floor: [], defaults: [], all: [] };
    for (let round = 0; round < 2; round += 1) {
      runs.floor.push(measure("floor", dir));
      runs.defaults.push(measure("backtest", dir));
      runs.all.push(measure("backtest", dir, allPresets));
    }
    const best = (list) => list.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));
    const floor = best(runs.floor);
    const small = measure("backtest", CORPUS_LOGS);
    const floorCpu = floor.records / floor.cpuSeconds;
    console.log(
      `\nBacktest over ${mb(made.json)} of CloudTrail JSON (${made.files.toLocaleString("en-US")} .json.gz files, ${mb(made.disk)} on disk, ` +
        `${rate(floor.records)} records)${floor.pinned ? ", one core (taskset -c 0)" : ""}, best of ${runs.floor.length}:`,
    );
    console.log("                                   records/CPU-s   vs floor   records/s (wall)   peak RSS");
    const row = (label, r) => {
      const perCpu = r.records / r.cpuSeconds;
      console.log(
        `${label.padEnd(34)} ${rate(perCpu).padStart(13)}   ${(perCpu / floorCpu).toFixed(2).padStart(8)}   ${rate(r.records / r.seconds).padStart(16)}   ${mb(r.maxRssKb * 1024).padStart(8)}`,
      );
    };
    row("floor: gunzip + JSON.parse", floor);
    row("backtest, default rules (7)", best(runs.defaults));
    row("backtest, every preset (25 rules)", best(runs.all));
    console.log(`(peak RSS of the backtest over the ${mb(statsOf(CORPUS_LOGS))} corpus alone: ${mb(small.maxRssKb * 1024)}: memory does not grow with the input)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function statsOf(dir) {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

try {
  if (process.env.BENCH_ONLY !== "backtest") {
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

    const f = await formatTimes();
    console.log(`\nFormat one event (pure core, ${f.events} corpus events x 5 rounds after warm-up):`);
    console.log(`median ${us(f.median)}   p95 ${us(f.p95)}   mean ${us(f.mean)}`);
  }

  backtestBench();
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(join(root, "node_modules", ".cache", "notifier-bench"), { recursive: true, force: true });
}
