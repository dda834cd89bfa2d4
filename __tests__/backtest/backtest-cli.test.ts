/**
 * `npm run backtest` end to end over the repository's CloudTrail log files:
 * the script as users run it (tsx), its outputs, and its refusals.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { DEFAULT_IAM_EVENTS } from "../../src/config/variables";
import { parseOptions, UsageError } from "../../tools/backtest/options";
import { loadDeployment } from "../../tools/backtest/run";
import { CLOUDTRAIL_FIXTURES } from "../event-pattern/fixture-records";
import { PROJECT_ROOT } from "../support/synth";

const LOGS = join(CLOUDTRAIL_FIXTURES, "logs");
const backtest = (...args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "scripts", "backtest.ts"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });

/** Every record of every log file, .json and .json.gz alike, read without the backtest's reader. */
function logRecords(): Record<string, any>[] {
  return readdirSync(LOGS).flatMap((name) => {
    const raw = readFileSync(join(LOGS, name));
    return JSON.parse((name.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")).Records;
  });
}

describe("a run over the fixture log files with the default variables", () => {
  let out: string;
  let run: SpawnSyncReturns<string>;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "backtest-"));
    run = backtest("--logs", LOGS, "--out", out, "--json", join(out, "summary.json"));
  });

  it("exits 0 with the report on standard output and nothing on standard error (not a terminal, a short run)", () => {
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^Backtest of .*logs\n/);
  });

  it("counts every record and, on the iam_events rule, exactly the IAM calls iam_events lists", () => {
    const records = logRecords();
    const expected = records.filter((r) => r.eventSource === "iam.amazonaws.com" && DEFAULT_IAM_EVENTS.includes(r.eventName)).length;

    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));

    expect(Object.keys(summary)).toEqual(["records", "rules", "presets", "records_per_second"]);
    expect(summary.records).toBe(records.length);
    expect(summary.rules["cloudtrail-alerting-iam-events"]).toEqual({ matched: expected });
    expect(summary.presets["iam-events"]).toEqual({ matched: expected });
    expect(Object.keys(summary.rules)).toContain("cloudtrail-alerting-monitoring-tamper-cloudtrail");
    expect(summary.records_per_second).toBeGreaterThan(0);
  });

  it("writes report.md with the chart, the rules, the presets and the candidates", () => {
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toContain("![Alerts per day, by preset](alerts-per-day.svg)");
    expect(report).toMatch(/\| cloudtrail-alerting-iam-events \| iam-events \| \d+ \|/);
    expect(report).toContain("## `ignored_principal_arns` candidates");
    expect(report).toContain("arn:aws:iam::123837392027:user/bert-jan");
  });

  it("draws alerts per day per preset as an SVG, one legend entry per preset with alerts", () => {
    const svg = readFileSync(join(out, "alerts-per-day.svg"), "utf8");
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toMatch(/<text [^>]*>iam-events \(\d+\)<\/text>/);
  });

  it("renders the first alerts of each rule as the notifier sends them, labelled with preset and severity", () => {
    const text = readFileSync(join(out, "alerts", "cloudtrail-alerting-iam-events.txt"), "utf8");
    expect(text).toMatch(/^=== cloudtrail-alerting-iam-events: alert 1 of the first \d/);
    expect(text).toMatch(/Subject: \[HIGH\] (CreateUser|DeleteUser|CreateAccessKey|DeleteAccessKey|CreateGroup|DeleteGroup)/);
    expect(text).toContain("Severity:     HIGH, preset iam-events");
  });
});

describe("bad input is refused before anything is printed", () => {
  it("a missing folder: exit 1, the folder named on standard error, nothing on standard output", () => {
    const run = backtest("--logs", "/nonexistent/logs");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("backtest: --logs /nonexistent/logs: no such folder\n");
  });

  it.each([
    [["--since", "2024-13-01"], /--since "2024-13-01" is not a date/],
    [["--since", "2024-05-02", "--until", "2024-05-01"], /--since 2024-05-02 is after --until 2024-05-01/],
    [["--plan", "p.json", "--var-file", "v.tfvars"], /give --var-file or --plan, not both/],
    [["--bogus"], /Unknown option '--bogus'/],
  ])("%j", (args, message) => {
    expect(() => parseOptions(["--logs", LOGS, ...args], PROJECT_ROOT)).toThrow(UsageError);
    expect(() => parseOptions(["--logs", LOGS, ...args], PROJECT_ROOT)).toThrow(message);
  });

  it("--logs is required", () => {
    expect(() => parseOptions([], PROJECT_ROOT)).toThrow(/--logs is required/);
  });

  it("an unreadable plan, or one that is not JSON, is named", async () => {
    const missing = parseOptions(["--logs", LOGS, "--plan", "/nonexistent/plan.json"], PROJECT_ROOT);
    await expect(loadDeployment(missing as never, PROJECT_ROOT)).rejects.toThrow("--plan /nonexistent/plan.json: cannot be read (ENOENT)");
    const notJson = parseOptions(["--logs", LOGS, "--plan", join(CLOUDTRAIL_FIXTURES, "README.md")], PROJECT_ROOT);
    await expect(loadDeployment(notJson as never, PROJECT_ROOT)).rejects.toThrow(/README.md is not JSON .*terraform show -json/);
  });
});
