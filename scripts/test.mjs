#!/usr/bin/env node
// npm test: build, type-check, lint, then every vitest suite; prints the time
// of each phase at the end (and the slowest test files), so a slow change
// shows up in the run that introduced it. Exits non-zero on the first failing
// phase, after printing what ran.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PHASES_FILE = join(tmpdir(), "cta-test-phases.json"); // __tests__/support/phases.ts
const report = join(mkdtempSync(join(tmpdir(), "cta-vitest-")), "report.json");
const extra = process.argv.slice(2);

const phases = [
  ["build", "npm", ["run", "--silent", "build"]],
  ["typecheck", "npm", ["run", "--silent", "typecheck"]],
  ["lint", "npm", ["run", "--silent", "lint"]],
  ["vitest", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra]],
];

// Terraform and the AWS provider are Go programs, and every terraform command
// starts the provider (a 13 MB schema) once per provider configuration: most
// of a run's CPU. A lazier garbage collector (GOGC=400: collect when the heap
// has grown 4x, not 2x) cuts the CPU of a plan + show -json by a fifth to a
// quarter (`BENCH_ONLY=terraform npm run bench`: 12.1 s -> 9.9 s on 2 cores)
// for about 50 MB more per provider process. A GOGC set by the caller wins.
const TEST_ENV = { ...process.env, CHECKPOINT_DISABLE: "1", GOGC: process.env.GOGC ?? "400" };

const times = [];
const started = Date.now();
let failed;
rmSync(PHASES_FILE, { force: true });
for (const [name, command, args] of phases) {
  const t0 = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: TEST_ENV });
  times.push([name, (Date.now() - t0) / 1000]);
  if (result.status !== 0) {
    failed = `${name} exited ${result.status ?? result.signal}`;
    break;
  }
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
if (failed) console.log(`\nFAILED: ${failed}`);
// The closing line CI reads.
if (summary) console.log(`\nTests: ${summary}`);
process.exit(failed ? 1 : 0);
