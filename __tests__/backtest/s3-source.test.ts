/**
 * `--logs s3://bucket/prefix` against the moto emulator's S3: the usual
 * AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ layout, digests beside
 * it, and --since pruning whole dated folders.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { runBacktest, type RunContext } from "../../tools/backtest/run";
import { parseOptions, type BacktestOptions } from "../../tools/backtest/options";
import { AwsClients } from "../support/aws";
import { motoAvailable, startMoto, type MotoServer } from "../support/moto";
import { CLOUDTRAIL_FIXTURES } from "../event-pattern/fixture-records";
import { PROJECT_ROOT } from "../support/synth";

const LOGS = join(CLOUDTRAIL_FIXTURES, "logs");
const BUCKET = "trail-logs";
const available = motoAvailable();
if (!available) console.warn("\n*** SKIPPING the backtest's S3 test: moto_server (python3 -m moto.server) is not installed ***\n");

/** Where CloudTrail would have put each fixture log file: its name says account, region and delivery time. */
function keyOf(name: string): string {
  const m = /__(\d+)_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T/.exec(name)!;
  return `AWSLogs/${m[1]}/CloudTrail/${m[2]}/${m[3]}/${m[4]}/${m[5]}/${name.slice(name.indexOf("__") + 2)}`;
}

describe.skipIf(!available)("--logs s3://", () => {
  let moto: MotoServer;
  let clients: AwsClients;
  let context: RunContext;
  const options = (...args: string[]): BacktestOptions => parseOptions(["--logs", `s3://${BUCKET}/AWSLogs/`, ...args], PROJECT_ROOT) as BacktestOptions;

  beforeAll(async () => {
    moto = await startMoto();
    clients = new AwsClients(moto.endpoint, "us-east-1");
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const name of readdirSync(LOGS)) {
      await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyOf(name), Body: readFileSync(join(LOGS, name)) }));
    }
    await clients.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "AWSLogs/218007301253/CloudTrail-Digest/us-east-1/2023/07/10/digest.json.gz", Body: "{}" }),
    );
    context = { projectRoot: PROJECT_ROOT, s3: () => clients.s3, stderr: { isTTY: false, write: () => true } };
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it("reads every log file of the layout, .json and .json.gz, and leaves digests out", async () => {
    const local = await runBacktest(parseOptions(["--logs", LOGS], PROJECT_ROOT) as BacktestOptions, context);
    const { summary } = await runBacktest(options(), context);

    expect(summary.counters.files).toBe(readdirSync(LOGS).length);
    expect(summary.counters.records).toBe(local.summary.counters.records);
    expect(summary.rules.map((r) => [r.name, r.alerts])).toEqual(local.summary.rules.map((r) => [r.name, r.alerts]));
  });

  it("prunes dated folders outside --since/--until without reading them", async () => {
    const { summary } = await runBacktest(options("--since", "2023-07-10", "--until", "2023-07-10"), context);
    // The one 2017 file (eu-central-1) and its .gz twin stay unread.
    expect(summary.counters.files).toBe(readdirSync(LOGS).length - 2);
    expect(summary.days).toEqual(["2023-07-10"]);
  });

  it("names the bucket when it cannot be listed", async () => {
    await expect(runBacktest(parseOptions(["--logs", "s3://no-such-bucket/"], PROJECT_ROOT) as BacktestOptions, context)).rejects.toThrow(
      /--logs s3:\/\/no-such-bucket\/: cannot list the bucket \(NoSuchBucket/,
    );
  });
});
