/**
 * Shared by the plan-review tests: the recorded plans (fixtures), how they
 * are scrubbed, and the Terraform override files the emulator test uses to
 * make changes the stack's variables cannot express.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlanJson, ResourceChange } from "../../tools/plan-review";

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

/** A JSON plan of just these resource changes. */
export const planOf = (...changes: ResourceChange[]): PlanJson => ({ format_version: "1.2", resource_changes: changes });

/** A deployed resource of a type, unchanged (from the recorded no-change plan). */
export function deployed(type: string, index = 0): Json {
  const found = (loadFixture("unchanged").resource_changes ?? []).filter((rc) => rc.type === type && rc.mode === "managed");
  if (found.length <= index) throw new Error(`no deployed ${type} in the unchanged fixture`);
  return structuredClone(found[index]);
}

/**
 * A resource change as `terraform show -json` writes it, for resources no
 * recorded plan has: the address and the two sides, `null` before for a
 * create and `null` after for a delete; the actions follow from the sides.
 * https://developer.hashicorp.com/terraform/internals/json-format#change-representation
 */
export function resourceChange(
  address: string,
  before: Json | null,
  after: Json | null,
  more: { readonly afterUnknown?: Json; readonly previousAddress?: string } = {},
): ResourceChange {
  const [, type, name, index] = /^(\w+)\.(\w+)(?:\[(.+)\])?$/.exec(address) ?? [];
  if (type === undefined || name === undefined) throw new Error(`not a resource address: ${address}`);
  const actions: ResourceChange["change"]["actions"] =
    before === null ? ["create"] : after === null ? ["delete"] : JSON.stringify(before) === JSON.stringify(after) ? ["no-op"] : ["update"];
  return {
    address,
    mode: "managed",
    type,
    name,
    ...(index !== undefined ? { index: JSON.parse(index) as string | number } : {}),
    ...(more.previousAddress !== undefined ? { previous_address: more.previousAddress } : {}),
    change: { actions, before, after, after_unknown: more.afterUnknown ?? {} },
  };
}

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
