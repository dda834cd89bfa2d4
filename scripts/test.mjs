#!/usr/bin/env node
// npm test: build, then every vitest suite with type-check and lint beside it;
// prints the time of each phase at the end (and the slowest test files), so a
// slow change shows up in the run that introduced it. Exits non-zero when any
// phase fails, after printing what ran. Type-check and lint run while vitest
// does (tsc uses one core, and the run is CPU-bound only part of the time):
// their output is held back and printed after vitest's, so it stays readable.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PHASES_FILE = join(tmpdir(), "cta-test-phases.json"); // __tests__/support/phases.ts
const report = join(mkdtempSync(join(tmpdir(), "cta-vitest-")), "report.json");
const extra = process.argv.slice(2);

const build = ["build", "npm", ["run", "--silent", "build"]];
const checks = [
  ["typecheck", "npm", ["run", "--silent", "typecheck"]],
  ["lint", "npm", ["run", "--silent", "lint"]],
];
const vitest = ["vitest", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra]];

// Terraform and the AWS provider are Go programs, and every terraform command
// starts the provider (a 13 MB schema) once per provider configuration: most
// of a run's CPU. A lazier garbage collector (GOGC=400: collect when the heap
// has grown 4x, not 2x) cuts the CPU of a plan + show -json by a fifth to a
// quarter (`BENCH_ONLY=terraform npm run bench`: 12.1 s -> 9.9 s on 2 cores)
// for about 50 MB more per provider process. A GOGC set by the caller wins.
const TEST_ENV = { ...process.env, CHECKPOINT_DISABLE: "1", GOGC: process.env.GOGC ?? "400" };

/**
 * Runs a phase; resolves with its exit status, seconds and (when `capture`)
 * its output. Asynchronous, so that phases beside each other are timed when
 * they end, not when the longest one does.
 */
function run([name, command, args], capture) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: TEST_ENV, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.on("data", (c) => (output += c));
    child.stderr?.on("data", (c) => (output += c));
    child.once("error", (err) => resolve({ name, status: `could not start (${err.message})`, output, seconds: (Date.now() - t0) / 1000 }));
    child.once("close", (code, signal) => resolve({ name, status: code ?? signal, output, seconds: (Date.now() - t0) / 1000 }));
  });
}

const times = [];
const failures = [];
const started = Date.now();
rmSync(PHASES_FILE, { force: true });
const built = await run(build, false);
times.push([built.name, built.seconds]);
if (built.status !== 0) failures.push(`build exited ${built.status}`);
else {
  const checking = Promise.all(checks.map((check) => run(check, true)));
  const tested = await run(vitest, false);
  for (const check of await checking) {
    times.push([`${check.name} (beside vitest)`, check.seconds]);
    if (check.output.trim() !== "") process.stdout.write(`\n── ${check.name} ──\n${check.output}`);
    if (check.status !== 0) failures.push(`${check.name} exited ${check.status}`);
  }
  times.push([tested.name, tested.seconds]);
  if (tested.status !== 0) failures.push(`vitest exited ${tested.status}`);
}

const line = (label, seconds) => `  ${label.padEnd(58)} ${seconds.toFixed(1).padStart(7)} s`;
console.log("\n── npm test: time per phase ──────────────────────────────────────────");
for (const [name, seconds] of times) console.log(line(name, seconds));
if (existsSync(PHASES_FILE)) {
  for (const [name, seconds] of Object.entries(JSON.parse(readFileSync(PHASES_FILE, "utf8")))) console.log(line(`  ${name}`, seconds));
}
let summary;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, "utf8"));
  const files = json.testResults
    .map((f) => [f.name.replace(`${process.cwd()}/`, ""), (f.endTime - f.startTime) / 1000])
    .sort((a, b) => b[1] - a[1]);
  console.log("  slowest test files (they run in parallel):");
  for (const [file, seconds] of files.slice(0, 8)) console.log(line(`    ${file}`, seconds));
  summary = `${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests + json.numTodoTests} skipped`;
}
console.log(line("total", (Date.now() - started) / 1000));
if (failures.length > 0) console.log(`\nFAILED: ${failures.join("; ")}`);
// The closing line CI reads.
if (summary) console.log(`\nTests: ${summary}`);
process.exit(failures.length > 0 ? 1 : 0);
