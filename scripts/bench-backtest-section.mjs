// The backtest's part of `npm run bench`: its throughput beside the floor
// (gunzip + JSON.parse of the same files) and its peak RSS, over ~1 GB of log
// data made from the corpus (BENCH_BACKTEST_MB sets the size).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
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

export function backtestBench() {
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

