/**
 * Shared by the plan-review tests: the recorded plans (fixtures), how they
 * are scrubbed, and the Terraform override files the emulator test uses to
 * make changes the stack's variables cannot express.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlanJson } from "../../tools/plan-review";

export const FIXTURES_DIR = join(__dirname, "fixtures");

/** Set to re-record the fixtures from the real terraform: `UPDATE_PLAN_FIXTURES=1 npx vitest run __tests__/plan-review`. */
export const UPDATE_FIXTURES = process.env.UPDATE_PLAN_FIXTURES === "1";

/** The recorded plans, by file name (`<name>.plan.json`). */
export const FIXTURES = {
  /** First plan: nothing deployed yet, everything created (defaults + two subscribers). */
  initial: "Plan of the whole stack on an empty account",
  /** Deployed, planned again with the same tfvars. */
  unchanged: "No changes",
  /** Two events and a subscriber removed (tfvars), log file validation off (override file). */
  weakened: "Two events and a subscriber removed, log file validation off",
  /** One event added (tfvars). */
  "added-event": "One event added",
  /** Public access block flags off, bucket policy opened to anyone without the TLS deny (override file). */
  "bucket-opened": "Bucket public access block off, policy widened",
  /** `terraform plan -destroy`. */
  destroy: "Everything destroyed",
} as const;
export type FixtureName = keyof typeof FIXTURES;

export function loadFixture(name: FixtureName): PlanJson {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.plan.json`), "utf8")) as PlanJson;
}

/**
 * Keeps what the summary reads and drops the rest (`configuration`,
 * `prior_state`, `planned_values`, `resource_drift`, `output_changes`,
 * `timestamp`), so fixtures stay small and free of machine details; the
 * emulator's random endpoint port in SQS queue URLs is replaced.
 */
export function scrubPlan(plan: PlanJson): PlanJson {
  const { format_version, terraform_version, variables, resource_changes, checks, errored } = plan;
  const kept = { format_version, terraform_version, variables, resource_changes, checks, errored };
  return JSON.parse(JSON.stringify(kept).replace(/http:\/\/127\.0\.0\.1:\d+/g, "http://emulator.invalid")) as PlanJson;
}

export function writeFixture(name: FixtureName, plan: PlanJson): void {
  writeFileSync(join(FIXTURES_DIR, `${name}.plan.json`), JSON.stringify(scrubPlan(plan), null, 1) + "\n");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Strips cdktf's `${...}` wrapper from a synthesized expression. */
const inner = (expression: string): string => expression.replace(/^\$\{/, "").replace(/\}$/, "");

/**
 * Terraform override files (https://developer.hashicorp.com/terraform/language/files/override):
 * dropped next to cdk.tf.json, they change the configuration for a test
 * without touching product code. Built from the synthesized JSON by resource
 * TYPE, so they follow the stack when logical ids change.
 */
export const overrides = {
  /** Every trail stops validating log files. */
  logValidationOff(synth: Json): Json {
    const trails = Object.keys(synth.resource?.aws_cloudtrail ?? {});
    return { resource: { aws_cloudtrail: Object.fromEntries(trails.map((id) => [id, { enable_log_file_validation: false }])) } };
  },
  /** Every bucket: two public access block flags off; the policy keeps its Allow statements, loses the TLS deny and gains a public read. */
  bucketOpened(synth: Json): Json {
    const blocks = Object.keys(synth.resource?.aws_s3_bucket_public_access_block ?? {});
    const policies = Object.entries<Json>(synth.resource?.aws_s3_bucket_policy ?? {});
    return {
      resource: {
        aws_s3_bucket_public_access_block: Object.fromEntries(
          blocks.map((id) => [id, { block_public_policy: false, restrict_public_buckets: false }]),
        ),
        aws_s3_bucket_policy: Object.fromEntries(
          policies.map(([id, policy]) => {
            const doc = `jsondecode(${inner(policy.policy)})`;
            const bucket = inner(policy.bucket);
            const publicRead = `{Sid = "PublicRead", Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = format("arn:aws:s3:::%s/*", ${bucket})}`;
            return [
              id,
              { policy: `\${jsonencode(merge(${doc}, {Statement = concat([for s in ${doc}.Statement : s if s.Effect == "Allow"], [${publicRead}])}))}` },
            ];
          }),
        ),
      },
    };
  },
};
