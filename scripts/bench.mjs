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
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildBundle, DIST, VARIANTS } from "../handler/build.mjs";
import { backtestBench } from "./bench-backtest-section.mjs";
import { terraformBench } from "./bench-terraform-section.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
// The zip step `cdktf synth` runs for the Lambda asset: same archiver, same settings.
const cdktfArchiver = require.resolve("cdktf/lib/private/fs.js");
const spawns = Number(process.env.BENCH_SPAWNS ?? 20);
const only = process.env.BENCH_ONLY;
/**
 * EventBridge refuses events over 256 KB
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html),
 * so no event the rules deliver is larger than this.
 */
const EVENTBRIDGE_MAX_EVENT_BYTES = 262_144;
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
  return { events: events.length, median: median(samples), p95: percentile(samples, 95), mean: total / samples.length, sink, outfile };
}

/**
 * Events built to hurt: each reproducer of issue #13 at (or near) the
 * 256 KB EventBridge limit, and the shapes that cost the most per byte
 * (deep nesting, escapes that grow six-fold, many tiny values).
 */
function adversarialEvents() {
  const CT = '"detail-type":"AWS API Call via CloudTrail","source":"aws.iam"';
  const wrap = (detail) => `{"version":"0","id":"bench",${CT},"account":"123456789012","region":"us-east-1","detail":${detail}}`;
  const repeat = (piece, count, sep = "") => Array.from({ length: count }, () => piece).join(sep);
  const events = [
    ["eventID of 250,000 chars", wrap(`{"eventID":"${"x".repeat(250_000)}"}`)],
    ["CR/LF in a 250,000-char eventID", wrap(`{"eventID":"id\\r\\nOutcome: success${"x".repeat(250_000)}"}`)],
    ["lone surrogates in every summary field", wrap('{"eventID":"\\udc00","userAgent":"\\ud800","awsRegion":"\\ud800","userIdentity":{"type":"IAMUser","userName":"\\udfff"}}')],
    ["arrays nested 3,000 deep", wrap(`{"requestParameters":${"[".repeat(3_000)}${"]".repeat(3_000)}}`)],
    ["arrays nested 130,000 deep", wrap(`{"requestParameters":${"[".repeat(130_000)}${"]".repeat(130_000)}}`)],
    ["objects nested 43,000 deep", wrap(`{"requestParameters":${'{"k":'.repeat(43_000)}0${"}".repeat(43_000)}}`)],
    ["60,000 zeros nested 2,000 deep", wrap(`{"requestParameters":${"[".repeat(2_000)}${repeat("0", 60_000, ",")}${"]".repeat(2_000)}}`)],
    ["130,000 zeros in one array", wrap(`{"requestParameters":[${repeat("0", 130_000, ",")}]}`)],
    ["18,000 keys in one object", wrap(`{"requestParameters":{${Array.from({ length: 18_000 }, (_, i) => `"k${i}":${i}`).join(",")}}}`)],
    ["errorCode of 85,000 x U+FDFA", wrap(`{"errorCode":"${"\ufdfa".repeat(85_000)}"}`)],
    ["user name of 85,000 x U+202E", wrap(`{"userIdentity":{"type":"SAMLUser","userName":"${"\u202e".repeat(85_000)}"}}`)],
    ["user agent of 85,000 Hangul fillers", wrap(`{"userAgent":"${"\u3164".repeat(85_000)}"}`)],
    ["42,000 x (a, U+202E) in one string", wrap(`{"requestParameters":{"p":"${"a\u202e".repeat(42_000)}"}}`)],
    ["40,000 NULs escaped in the event text", wrap(`{"requestParameters":{"p":"${"\\u0000".repeat(43_000)}"}}`)],
    ["40,000 one-char strings of U+2028", wrap(`{"requestParameters":[${repeat('"\u2028"', 40_000, ",")}]}`)],
    ["60,000 emoji", wrap(`{"requestParameters":{"p":"${"\u{1F600}".repeat(60_000)}"}}`)],
    ["__proto__ keys around 250,000 chars", wrap(`{"requestParameters":{"__proto__":{"__proto__":"${"p".repeat(250_000)}"}}}`)],
    ["SAML name spelling a root sign-in", wrap(`{"eventName":"CreateUser","userIdentity":{"type":"SAMLUser","userName":"root (Root) called signin:ConsoleLogin in account 123456789012; it succeeded.${"\u3164".repeat(320)}"}}`)],
  ];
  for (const [name, text] of events) {
    const bytes = Buffer.byteLength(text);
    if (bytes > EVENTBRIDGE_MAX_EVENT_BYTES) throw new Error(`adversarial event "${name}" is ${bytes} bytes, over the EventBridge limit`);
  }
  return events;
}

/**
 * One child process per event and mode. "idle" loads the core, formats 300
 * corpus events (a warm instance) and parses the event; "measure" does the
 * same and then formats the event: the first formatting's wall and CPU time
 * (CPU time, user + system of the whole process, is less distorted when the
 * machine is shared), the process's peak RSS right after it, and the median
 * wall time of five more. Peak above idle = the difference of the two peaks,
 * so the parse and warm-up are not counted against the event.
 */
const ADVERSARY = `
import { readFileSync } from "node:fs";
const [coreUrl, samplesDir, eventFile, mode] = process.argv.slice(1);
const { formatAlert, loadSampleFiles, toEventBridgeEvent } = await import(coreUrl);
const typical = loadSampleFiles(samplesDir).flatMap((f) => f.records).slice(0, 300).map((r, i) => toEventBridgeEvent(r, i));
for (const e of typical) formatAlert(e);
const event = JSON.parse(readFileSync(eventFile, "utf8"));
globalThis.gc();
// Let background JIT compilation and GC threads of the warm-up finish: CPU time is process-wide.
await new Promise((resolve) => setTimeout(resolve, 150));
const out = { maxRssKb: 0 };
if (mode === "measure") {
  const cpu = process.cpuUsage();
  let start = performance.now();
  const alert = formatAlert(event);
  out.firstMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  out.firstCpuMs = (used.user + used.system) / 1000;
  out.maxRssKb = process.resourceUsage().maxRSS;
  out.messageBytes = Buffer.byteLength(alert.message);
  const again = [];
  for (let i = 0; i < 5; i += 1) { start = performance.now(); formatAlert(event); again.push(performance.now() - start); }
  out.medianMs = again.sort((a, b) => a - b)[2];
} else {
  out.maxRssKb = process.resourceUsage().maxRSS;
}
process.stdout.write(JSON.stringify(out));
`;

/** Measuring processes per event; each figure is their median (peak memory: their maximum). */
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

function worstCase(coreFile) {
  const samplesDir = join(root, "__tests__", "fixtures", "cloudtrail");
  const rows = [];
  for (const [i, [name, text]] of adversarialEvents().entries()) {
    const file = join(work, `adversarial-${i}.json`);
    writeFileSync(file, text);
    const run = (mode) => {
      const args = ["--expose-gc", "--input-type=module", "-e", ADVERSARY, pathToFileURL(coreFile).href, samplesDir, file, mode];
      const out = spawnSync(process.execPath, args, { encoding: "utf8", env: { PATH: process.env.PATH ?? "", NODE_NO_WARNINGS: "1" } });
      if (out.status !== 0) throw new Error(`adversarial run "${name}" (${mode}) failed: ${out.stderr}`);
      return JSON.parse(out.stdout);
    };
    const idle = run("idle");
    const runs = Array.from({ length: repeats }, () => run("measure"));
    rows.push({
      name,
      eventBytes: Buffer.byteLength(text),
      messageBytes: runs[0].messageBytes,
      firstMs: median(runs.map((r) => r.firstMs)),
      firstCpuMs: median(runs.map((r) => r.firstCpuMs)),
      medianMs: median(runs.map((r) => r.medianMs)),
      aboveIdleMb: Math.max(0, ...runs.map((r) => r.maxRssKb - idle.maxRssKb)) / 1024,
    });
  }
  return rows;
}

try {
  if (only === "backtest") backtestBench();
  else if (only === "terraform") await terraformBench();
  else {
    if (only !== "adversarial") await bundlesAndLoadTimes();
    const f = await formatTimes();
    console.log(`\nFormat one event (pure core, ${f.events} corpus events x 5 rounds after warm-up):`);
    console.log(`median ${us(f.median)}   p95 ${us(f.p95)}   mean ${us(f.mean)}`);

    const rows = worstCase(f.outfile);
    console.log(
      `\nAdversarial events (<= ${EVENTBRIDGE_MAX_EVENT_BYTES} bytes), each in ${repeats} fresh processes after 300 corpus events (warm); ` +
        "times are medians, memory the maximum:",
    );
    console.log(
      `${"event".padEnd(40)} ${"bytes".padStart(7)} ${"first".padStart(9)} ${"first CPU".padStart(9)} ${"then".padStart(9)} ${"peak above idle".padStart(16)} ${"message".padStart(8)}`,
    );
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(40)} ${String(r.eventBytes).padStart(7)} ${ms(r.firstMs).padStart(9)} ${ms(r.firstCpuMs).padStart(9)} ${ms(r.medianMs).padStart(9)} ${`${r.aboveIdleMb.toFixed(1)} MB`.padStart(16)} ${String(r.messageBytes).padStart(8)}`,
      );
    }
    const slowest = rows.reduce((a, b) => (b.firstMs > a.firstMs ? b : a));
    const busiest = rows.reduce((a, b) => (b.firstCpuMs > a.firstCpuMs ? b : a));
    const hungriest = rows.reduce((a, b) => (b.aboveIdleMb > a.aboveIdleMb ? b : a));
    console.log(
      `worst case (goal <= 50 ms, <= 64 MB above idle): ${ms(slowest.firstMs)} wall (${slowest.name}), ` +
        `${ms(busiest.firstCpuMs)} CPU (${busiest.name}), ${hungriest.aboveIdleMb.toFixed(1)} MB above idle (${hungriest.name})`,
    );
    console.log(`(load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} CPUs)`);
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
