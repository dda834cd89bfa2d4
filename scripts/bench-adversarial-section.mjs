// The notifier's worst case in `npm run bench` (BENCH_ONLY=adversarial runs it
// without the bundle sizes): events built to hurt, each formatted by the pure
// core in fresh processes after a warm-up; first-call wall and CPU time and
// peak memory above idle, against the goal (<= 50 ms, <= 64 MB).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, ms } from "./bench-numbers.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * EventBridge refuses events over 256 KB
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html),
 * so no event the rules deliver is larger than this.
 */
const EVENTBRIDGE_MAX_EVENT_BYTES = 262_144;


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

function worstCase(coreFile, work) {
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

/** Measures and prints the table, with `coreFile` the built pure core and `work` a scratch folder. */
export function adversarialBench(coreFile, work) {
  const rows = worstCase(coreFile, work);
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
}
