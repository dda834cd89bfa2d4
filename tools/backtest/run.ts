/**
 * One backtest from options to summary: the rules (plan, var file or
 * defaults), the log source (folder or S3), the streaming read, the report
 * files. The command line (scripts/backtest.ts) only prints.
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { readSynthSettings } from "../../src/config/settings";
import { DEFAULT_SETTINGS } from "./catalogue-rules";
import { deploymentFromPlan, deploymentFromSettings, type Deployment } from "./deployment";
import { Backtest } from "./engine";
import { localLogs } from "./local-logs";
import type { LogFile, LogSource } from "./log-source";
import type { BacktestOptions } from "./options";
import { rulesFromPlan } from "./plan-rules";
import { progress, type ProgressStream } from "./progress";
import { parsedFiles } from "./records";
import { s3Logs } from "./s3-logs";
import { summarize, type BacktestSummary } from "./summary";
import { settingsFromVarFile } from "./var-file";
import { writeOutputs } from "./outputs";

export interface RunContext {
  /** The project root, for cdktf.json (the synth-time homeRegion and watchRegions). */
  readonly projectRoot: string;
  /** An S3 client for s3:// sources (created only when needed). */
  readonly s3?: () => S3Client;
  readonly stderr: ProgressStream;
}

/** A path as the report shows it: relative to the working folder when inside it. */
const shown = (path: string): string => {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
};

async function readText(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err: unknown) {
    throw new Error(`${option} ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The rules to evaluate; throws with the file's name when it cannot be used. */
export async function loadDeployment(options: BacktestOptions, projectRoot: string): Promise<Deployment> {
  if (options.plan !== undefined) {
    const text = await readText(options.plan, "--plan");
    let plan: unknown;
    try {
      plan = JSON.parse(text);
    } catch (err: unknown) {
      throw new Error(`--plan ${options.plan} is not JSON (${(err as Error).message}): give the output of \`terraform show -json PLANFILE\``);
    }
    const planned = rulesFromPlan(plan as never, options.plan);
    if (planned.alerting.length === 0) throw new Error(`--plan ${options.plan}: no EventBridge rule in us-east-1 in this plan`);
    return deploymentFromPlan(planned, shown(options.plan));
  }
  const settings = options.varFile !== undefined ? settingsFromVarFile(await readText(options.varFile, "--var-file"), options.varFile) : DEFAULT_SETTINGS;
  let context: Record<string, unknown> = {};
  try {
    context = (JSON.parse(await readFile(join(projectRoot, "cdktf.json"), "utf8")) as { context?: Record<string, unknown> }).context ?? {};
  } catch {
    // No cdktf.json: neither homeRegion nor watchRegions is set.
  }
  const synth = readSynthSettings((key) => context[key], {});
  return deploymentFromSettings(
    settings,
    { ...(synth.homeRegion !== undefined ? { homeRegion: synth.homeRegion } : {}), ...(synth.watchRegions !== undefined ? { watchRegions: synth.watchRegions } : {}) },
    options.varFile !== undefined ? shown(options.varFile) : "",
  );
}

export function logSource(options: BacktestOptions, context: RunContext): LogSource {
  if (!options.logs.startsWith("s3://")) return localLogs(options.logs, options.window);
  if (context.s3 === undefined) throw new Error("--logs s3://...: no S3 client available");
  return s3Logs(context.s3(), options.logs, options.window);
}

/** Lists a local folder up front (the bar then knows the total); S3 stays lazy. */
async function filesOf(source: LogSource, local: boolean): Promise<{ files: AsyncIterable<LogFile>; total?: number }> {
  if (!local) return { files: source.files() };
  const list: LogFile[] = [];
  for await (const file of source.files()) list.push(file);
  return {
    files: (async function* () {
      yield* list;
    })(),
    total: list.length,
  };
}

export async function runBacktest(options: BacktestOptions, context: RunContext): Promise<{ summary: BacktestSummary; backtest: Backtest }> {
  const deployment = await loadDeployment(options, context.projectRoot);
  const source = logSource(options, context);
  await source.check();
  const start = process.hrtime.bigint();
  const { files, total } = await filesOf(source, !options.logs.startsWith("s3://"));
  const backtest = new Backtest(deployment, options.window);
  const bar = progress(context.stderr, total);
  const c = backtest.stats.counters;
  try {
    for await (const parsed of parsedFiles(files)) {
      backtest.addFile(parsed);
      bar.update(c.files, c.read, c.bytes);
    }
  } finally {
    bar.done();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const summary = summarize(backtest.stats, deployment, options.logsLabel ?? source.description, seconds);
  await writeOutputs(options, summary, backtest.stats);
  return { summary, backtest };
}
