/**
 * Child process of `npm run bench` (scripts/bench.mjs): one measurement over
 * a folder of log files, printed as JSON on standard output.
 *
 *   floor:    read, gunzip and JSON.parse every file (the backtest's own reader), count records
 *   backtest: the same, plus wrapping, routing and matching every record against the rules and counting alerts
 *
 * Both report wall seconds and CPU seconds (user + system, every thread of the
 * process: zlib's too): on a shared machine the CPU time is the steadier measure
 * of what one core does.
 *
 * Usage: tsx scripts/bench-backtest.ts floor|backtest DIR [VAR_FILE]
 */
import { resolve } from "node:path";
import { localLogs } from "../tools/backtest/local-logs";
import { parsedFiles } from "../tools/backtest/records";
import { runBacktest } from "../tools/backtest/run";

const [mode, dir, varFile] = process.argv.slice(2);

async function floor(): Promise<{ records: number; seconds: number }> {
  const start = process.hrtime.bigint();
  let records = 0;
  for await (const parsed of parsedFiles(localLogs(dir!, {}).files())) records += parsed.records?.length ?? 0;
  return { records, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function backtest(): Promise<{ records: number; seconds: number; alerts: number }> {
  const { summary } = await runBacktest(
    { logs: dir!, window: {}, ...(varFile !== undefined ? { varFile: resolve(varFile) } : {}) },
    { projectRoot: resolve(__dirname, ".."), stderr: { isTTY: false, write: () => true } },
  );
  return { records: summary.counters.read, seconds: summary.seconds, alerts: summary.totalAlerts };
}

const cpu = process.cpuUsage();
(mode === "floor" ? floor() : backtest()).then(
  (result) => {
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    process.stdout.write(`${JSON.stringify({ ...result, cpuSeconds, maxRssKb: process.resourceUsage().maxRSS })}\n`);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
