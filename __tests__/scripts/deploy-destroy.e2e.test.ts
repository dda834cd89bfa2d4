/**
 * `npm run deploy` and `npm run destroy` on the moto emulator, run as a user
 * runs them, with a tfvars file: one deployment, then destroy without
 * --empty-log-buckets (refused: everything stays, alerting included), then
 * with it (log buckets emptied of every version and delete marker, state
 * empty).
 *
 * The emulator's endpoint, dummy credentials and the offline Terraform CLI
 * configuration reach the scripts through their environment only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetTrailCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { DeleteObjectCommand, HeadBucketCommand, ListObjectVersionsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsClients } from "../support/aws";
import { motoAvailable, startMoto, type MotoServer } from "../support/moto";
import { cleanEnv, runNpmScript, type ScriptRun } from "../support/npm-script";
import { STACK_NAME } from "../support/synth";
import { resourcesOfState } from "../../scripts/lib/state";
import { localStatePath, writeCliConfig, type PlanJson } from "../support/terraform";

const HOME_REGION = "eu-west-1";
const ALERTING_REGION = "us-east-1";
const NAME = "ops-e2e";
const SLOW = 300_000;

const terraformAvailable = spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;
const missing = [...(terraformAvailable ? [] : ["terraform"]), ...(motoAvailable() ? [] : ["moto_server"])];
if (missing.length > 0) console.warn(`SKIPPED: npm run deploy/destroy on the emulator needs ${missing.join(" and ")}`);

interface Resource {
  readonly address: string;
  readonly type: string;
  readonly values: PlanJson;
}

describe.skipIf(missing.length > 0)("npm run deploy, then npm run destroy, on the emulator", () => {
  let moto: MotoServer;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let home: AwsClients;
  let alerting: AwsClients;
  let state: () => Promise<Resource[]>;
  const timings: Record<string, number> = {};

  /** Runs the script from the work folder, synthesizing into (and keeping local state in) that folder, not the project's. */
  const run = async (script: string, args: string[]): Promise<ScriptRun> => {
    const result = await runNpmScript(script, ["--output", "cdktf.out", ...args], { cwd: work, env });
    timings[`${script} ${args.filter((a) => a.startsWith("--empty")).join(" ")}`.trim()] = result.seconds;
    return result;
  };

  beforeAll(async () => {
    moto = await startMoto();
    work = mkdtempSync(join(tmpdir(), "cta-deploy-"));
    writeFileSync(
      join(work, "deploy.tfvars"),
      [`application_name = "${NAME}"`, 'sns_endpoint     = ["security@example.com", "oncall@example.com"]', 'alert_presets    = ["root-activity", "monitoring-tamper"]', ""].join("\n"),
    );
    env = cleanEnv({ ...moto.env(HOME_REGION), TF_CLI_CONFIG_FILE: writeCliConfig() });
    home = new AwsClients(moto.endpoint, HOME_REGION);
    alerting = new AwsClients(moto.endpoint, ALERTING_REGION);
    const stackDir = join(work, "cdktf.out", "stacks", STACK_NAME);
    state = async () => resourcesOfState(readFileSync(localStatePath(stackDir), "utf8"));
  }, SLOW);

  afterAll(async () => {
    console.info(`npm run deploy/destroy on moto, seconds: ${JSON.stringify(timings)}`);
    home?.destroy();
    alerting?.destroy();
    await moto?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe("deploy -- --auto-approve --var-file deploy.tfvars", () => {
    let deploy: ScriptRun;
    let resources: Resource[];
    beforeAll(async () => {
      deploy = await run("deploy", ["--auto-approve", "--var-file", "deploy.tfvars"]);
      resources = deploy.code === 0 ? await state() : [];
    }, SLOW);

    it("exits 0 after streaming Terraform's plan and apply", () => {
      expect(deploy.code, deploy.stderr.slice(-3000)).toBe(0);
      const planAt = deploy.stdout.search(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
      const appliedAt = deploy.stdout.search(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\./);
      expect(planAt).toBeGreaterThan(0);
      expect(appliedAt).toBeGreaterThan(planAt);
    });

    it("creates the audit half and the alerting half with the tfvars' values", () => {
      const names = (type: string): string[] => resources.filter((r) => r.type === type).map((r) => String(r.values.name ?? r.values.bucket ?? r.values.function_name));
      expect(names("aws_cloudtrail")).toEqual([`${NAME}-trail`]);
      expect(names("aws_s3_bucket").sort()).toEqual([`${NAME}-logs-123456789012-${HOME_REGION}`, `${NAME}-s3logs-123456789012-${HOME_REGION}`]);
      expect(names("aws_lambda_function")).toEqual([`${NAME}-notifier`]);
      expect(names("aws_sns_topic").sort()).toEqual([`${NAME}-alerts`, `${NAME}-heartbeat`]); // the heartbeat has a topic of its own (src/liveness/)
      expect(names("aws_cloudwatch_event_rule")).toContain(`${NAME}-iam-events`);
      expect(resources.filter((r) => r.type === "aws_sns_topic_subscription").map((r) => r.values.endpoint).sort()).toEqual([
        "oncall@example.com",
        "security@example.com",
      ]);
    });
  });

  describe("destroy -- --auto-approve --var-file deploy.tfvars (without --empty-log-buckets)", () => {
    const logBucket = `${NAME}-logs-123456789012-${HOME_REGION}`;
    let before: string[];
    let refused: ScriptRun;
    beforeAll(async () => {
      // Prepare: log files as CloudTrail writes them, plus an overwritten and a deleted object (an old version and a delete marker).
      // 1,001 versions and more, so that listing takes two pages.
      const keys = Array.from({ length: 1000 }, (_, i) => `AWSLogs/123456789012/CloudTrail/${HOME_REGION}/2024/01/01/f${String(i).padStart(4, "0")}.json.gz`);
      for (let i = 0; i < keys.length; i += 25) {
        await Promise.all(keys.slice(i, i + 25).map((Key) => home.s3.send(new PutObjectCommand({ Bucket: logBucket, Key, Body: "{}" }))));
      }
      await home.s3.send(new PutObjectCommand({ Bucket: logBucket, Key: "AWSLogs/digest", Body: "1" }));
      await home.s3.send(new PutObjectCommand({ Bucket: logBucket, Key: "AWSLogs/digest", Body: "2" }));
      await home.s3.send(new DeleteObjectCommand({ Bucket: logBucket, Key: "AWSLogs/digest" }));
      before = (await state()).map((r) => r.address).sort();

      // Act
      refused = await run("destroy", ["--auto-approve", "--var-file", "deploy.tfvars", "--no-synth"]);
    }, SLOW);

    it("exits 1 and says why, naming both log buckets and how to go on", () => {
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("destroy: refusing to destroy a stack whose log buckets hold audit logs; nothing was destroyed.");
      expect(refused.stderr).toMatch(new RegExp(`${logBucket} +more than 1,000 object versions \\(CloudTrail log files\\)`));
      expect(refused.stderr).toMatch(new RegExp(`${NAME}-s3logs-123456789012-${HOME_REGION} +(more than )?[\\d,]+ object versions? \\(S3 server access logs\\)`));
      expect(refused.stderr).toContain("npm run destroy -- --empty-log-buckets");
      expect(refused.stdout).not.toMatch(/Destroying|destroyed/);
    });

    it("leaves every resource in the state: buckets and trail, and the alerting half too", async () => {
      expect((await state()).map((r) => r.address).sort()).toEqual(before);
    });

    it("leaves monitoring running: the trail, a rule and the notifier still answer", async () => {
      await expect(home.cloudTrail.send(new GetTrailCommand({ Name: `${NAME}-trail` }))).resolves.toBeDefined();
      await expect(alerting.events.send(new DescribeRuleCommand({ Name: `${NAME}-iam-events` }))).resolves.toMatchObject({ State: "ENABLED" });
      await expect(alerting.lambda.send(new GetFunctionCommand({ FunctionName: `${NAME}-notifier` }))).resolves.toBeDefined();
      const { Versions = [], DeleteMarkers = [] } = await home.s3.send(new ListObjectVersionsCommand({ Bucket: logBucket }));
      expect(Versions.length + DeleteMarkers.length).toBe(1000);
    });
  });

  describe("destroy -- --auto-approve --var-file deploy.tfvars --empty-log-buckets", () => {
    let destroyed: ScriptRun;
    beforeAll(async () => {
      destroyed = await run("destroy", ["--auto-approve", "--var-file", "deploy.tfvars", "--no-synth", "--empty-log-buckets"]);
    }, SLOW);

    it("exits 0 after stopping access logging and emptying both buckets of every version and delete marker", () => {
      expect(destroyed.code, destroyed.stderr.slice(-3000)).toBe(0);
      const steps = destroyed.stderr.split("\n").filter((l) => l.startsWith("destroy: "));
      expect(steps).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^destroy: stopping server access logging first/),
          // 1,000 log files, two versions of the digest and its delete marker.
          `destroy: emptied ${NAME}-logs-123456789012-${HOME_REGION}: 1,003 object versions and delete markers deleted.`,
          expect.stringMatching(new RegExp(`^destroy: emptied ${NAME}-s3logs-123456789012-${HOME_REGION}: [\\d,]+ object versions and delete markers deleted\\.$`)),
          "destroy: destroyed; the state holds no resources.",
        ]),
      );
    });

    it("ends with an empty state and no buckets", async () => {
      expect(await state()).toEqual([]);
      for (const bucket of [`${NAME}-logs-123456789012-${HOME_REGION}`, `${NAME}-s3logs-123456789012-${HOME_REGION}`]) {
        await expect(home.s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: "NotFound" });
      }
    });
  });
});
