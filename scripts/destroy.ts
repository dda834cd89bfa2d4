/**
 * `npm run destroy -- [--var-file FILE]... [--empty-log-buckets] [--auto-approve] [--output DIR] [--no-synth]`
 *
 * Tears the stack down without losing audit logs by accident and without
 * switching alerting off halfway.
 *
 * Without --empty-log-buckets, a stack whose state holds log buckets (the
 * trail's bucket, the access-log bucket) is not touched at all: the command
 * says what the buckets hold and exits 1. Terraform never deletes a bucket
 * that still holds objects (force_destroy is off on purpose), so a plain
 * `terraform destroy` would delete the rules, the notifier, the topic and the
 * trail first and only then fail on the buckets: monitoring gone, logs left.
 * Destroying "only what is safe" has the same effect, so it is all or nothing.
 *
 * With --empty-log-buckets, after confirmation: stop server access logging
 * (a targeted destroy, so that emptying does not create new log objects),
 * delete every object version and delete marker in both log buckets, then
 * `terraform destroy`. If log delivery added objects in between (CloudTrail
 * delivers every few minutes until the trail is gone), the buckets are
 * emptied again and destroy retried, at most twice.
 *
 * Exit codes: 0 destroyed (or nothing to destroy), 1 error, refused or not confirmed.
 */
import { COMMON_USAGE, confirm, EXIT, parseOptions, runMain } from "./lib/cli";
import { closeClients, countVersions, emptyBucket, logBucketsOf, type LogBucket } from "./lib/log-buckets";
import { prepareStack } from "./lib/prepare";
import { readState } from "./lib/state";
import { TerraformError } from "./lib/terraform-cli";

const USAGE = `usage: npm run destroy -- [--var-file FILE]... [--empty-log-buckets] [--auto-approve] [--output DIR] [--no-synth]
  --empty-log-buckets  delete every object version in the trail's and the access-log bucket (the audit logs),
                       then destroy everything; without it, a stack with log buckets is left untouched
  --auto-approve       go ahead without asking (needed when there is no terminal, e.g. in CI)
${COMMON_USAGE}`;

const log = (message: string): void => void process.stderr.write(`destroy: ${message}\n`);

const DESTROY_ATTEMPTS = 3;

function describeCount({ count, more }: { count: number; more: boolean }): string {
  if (more) return `more than ${count.toLocaleString("en-US")} object versions`;
  return count === 1 ? "1 object version" : `${count.toLocaleString("en-US")} object versions`;
}

async function refusal(buckets: readonly LogBucket[]): Promise<string> {
  const width = Math.max(...buckets.map((b) => b.name.length));
  const rows = await Promise.all(buckets.map(async (b) => `  ${b.name.padEnd(width)}  ${describeCount(await countVersions(b))} (${b.holds})`));
  return [
    "refusing to destroy a stack whose log buckets hold audit logs; nothing was destroyed.",
    "",
    ...rows,
    "",
    "Terraform never deletes a bucket that still holds objects (force_destroy is off, so that no destroy erases",
    "audit logs by accident). A plain `terraform destroy` would therefore delete the rules, the notifier, the topic",
    "and the trail first, switching alerting off, and then fail on these buckets. To destroy everything,",
    "audit logs included:",
    "",
    "  npm run destroy -- --empty-log-buckets",
    "",
    "To keep the logs, copy them elsewhere first (e.g. `aws s3 sync s3://BUCKET DIR`, current versions only).",
  ].join("\n");
}

runMain("destroy", USAGE, async () => {
  const { common, values } = parseOptions(process.argv.slice(2), { "empty-log-buckets": { type: "boolean", default: false } }, USAGE);
  const emptyLogBuckets = values["empty-log-buckets"] === true;
  const { terraform, varArgs } = await prepareStack(common, log, { confirmable: true });

  try {
    const resources = await readState(terraform);
    if (resources.length === 0) {
      log("the state holds no resources: nothing to destroy.");
      return EXIT.ok;
    }
    const buckets = logBucketsOf(resources);
    if (buckets.length > 0 && !emptyLogBuckets) {
      log(await refusal(buckets));
      return EXIT.error;
    }

    if (!common.autoApprove) {
      const plan = await terraform.run(["plan", "-destroy", ...varArgs], { holdPlan: true });
      if (plan.code !== 0) throw new TerraformError(["plan"], plan);
      const counts = await Promise.all(buckets.map(async (b) => `${b.name} (${describeCount(await countVersions(b))})`));
      const question =
        buckets.length > 0
          ? `Destroy all the resources above, after DELETING EVERY OBJECT VERSION in ${counts.join(" and ")}?\n  The audit logs cannot be recovered afterwards.`
          : "Do you really want to destroy all resources?";
      if (!(await confirm(question))) {
        log("not confirmed; nothing was destroyed.");
        return EXIT.error;
      }
    } else {
      // Fail before changing anything when the buckets cannot even be listed (credentials, permissions).
      await Promise.all(buckets.map(countVersions));
    }

    const emptyAll = async (): Promise<void> => {
      for (const bucket of buckets) {
        const deleted = await emptyBucket(bucket);
        log(`emptied ${bucket.name}: ${deleted.toLocaleString("en-US")} object versions and delete markers deleted.`);
      }
    };
    if (buckets.length > 0) {
      const logging = resources.filter((r) => r.type === "aws_s3_bucket_logging").map((r) => `-target=${r.address}`);
      if (logging.length > 0) {
        log("stopping server access logging first, so that emptying the buckets does not log new objects into them:");
        const stop = await terraform.run(["destroy", "-auto-approve", ...logging, ...varArgs]);
        if (stop.code !== 0) throw new TerraformError(["destroy"], stop);
      }
      await emptyAll();
    }

    for (let attempt = 1; ; attempt++) {
      const destroy = await terraform.run(["destroy", "-auto-approve", ...varArgs]);
      if (destroy.code === 0) break;
      if (buckets.length > 0 && destroy.stderr.includes("BucketNotEmpty") && attempt < DESTROY_ATTEMPTS) {
        log("log files arrived while destroying (delivery lags behind); emptying the buckets again.");
        await emptyAll();
        continue;
      }
      throw new TerraformError(["destroy"], destroy);
    }
    const left = await readState(terraform);
    if (left.length > 0) throw new Error(`terraform destroy succeeded but the state still holds ${left.map((r) => r.address).join(", ")}`);
    log("destroyed; the state holds no resources.");
    return EXIT.ok;
  } finally {
    closeClients();
  }
});
