/**
 * Security posture of the default configuration, read from the real plan
 * (`terraform plan` + `terraform show -json`, AWS provider 5.100.0, moto for
 * the provider's API calls). One test per control, named after it: CIS AWS
 * Foundations Benchmark v1.4 section 3 (logging) and the Checkov check for
 * the resource type.
 *
 * Policies whose inputs are all known at plan time (key and trust policies)
 * are asserted as rendered JSON; policies that reference resources still to
 * be created are asserted on the plan's `configuration`, where Terraform
 * keeps their constant parts and the addresses they reference.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OVERRIDES, planShared } from "./support/plan-configurations";
import { planOf, shared } from "./support/shared";
import { PlanJson, planned, plannedOne } from "./support/terraform";

const HOME_REGION = "eu-west-1";
const ACCOUNT = "123456789012"; // moto's default account
const TRAIL_ARN = `arn:aws:cloudtrail:${HOME_REGION}:${ACCOUNT}:trail/cloudtrail-alerting-trail`;

interface Statement {
  sid?: string;
  effect: string;
  actions: string[];
  resources: string[];
  principals: { type: string; identifiers: string[] }[];
  conditions: { test: string; variable: string; values: string[] }[];
  /** Addresses the statement refers to (configuration only). */
  references: string[];
}

let plan: PlanJson;
let withCloudWatch: PlanJson;

const configResource = (address: string): PlanJson => {
  const found = (plan.configuration.root_module.resources as PlanJson[]).find((r) => r.address === address);
  if (!found) throw new Error(`${address} is not in the configuration`);
  return found;
};

/** A policy document's statements: rendered when Terraform read it during plan, else from configuration. */
function statementsOf(docAddress: string): Statement[] {
  const read = (plan.prior_state?.values?.root_module?.resources ?? []).find((r: PlanJson) => r.address === docAddress);
  if (read) return renderedStatements(JSON.parse(read.values.json));
  const constant = (e: PlanJson): PlanJson => e?.constant_value;
  return (configResource(docAddress).expressions.statement as PlanJson[]).map((s) => ({
    sid: constant(s.sid),
    effect: constant(s.effect) ?? "Allow",
    actions: constant(s.actions) ?? [],
    resources: constant(s.resources) ?? [],
    principals: (s.principals ?? []).map((p: PlanJson) => ({ type: constant(p.type), identifiers: constant(p.identifiers) })),
    conditions: (s.condition ?? []).map((c: PlanJson) => ({
      test: constant(c.test),
      variable: constant(c.variable),
      values: constant(c.values) ?? [],
    })),
    references: [
      ...(s.resources?.references ?? []),
      ...(s.condition ?? []).flatMap((c: PlanJson) => c.values?.references ?? []),
      ...(s.principals ?? []).flatMap((p: PlanJson) => p.identifiers?.references ?? []),
    ],
  }));
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);
function renderedStatements(policy: PlanJson): Statement[] {
  return (policy.Statement as PlanJson[]).map((s) => ({
    sid: s.Sid,
    effect: s.Effect,
    actions: asList(s.Action),
    resources: asList(s.Resource),
    principals:
      s.Principal === "*"
        ? [{ type: "*", identifiers: ["*"] }]
        : Object.entries(s.Principal ?? {}).map(([type, ids]) => ({ type, identifiers: asList(ids) })),
    conditions: Object.entries<PlanJson>(s.Condition ?? {}).flatMap(([test, vars]) =>
      Object.entries<PlanJson>(vars).map(([variable, values]) => ({ test, variable, values: asList(values) })),
    ),
    references: [],
  }));
}

const bySid = (statements: Statement[], sid: string): Statement => {
  const found = statements.find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};
const policyDocs = (): string[] =>
  (plan.configuration.root_module.resources as PlanJson[])
    .filter((r) => r.type === "aws_iam_policy_document")
    .map((r) => r.address);
const keyPolicy = (name: "trail_key" | "alert_key"): Statement[] =>
  renderedStatements(JSON.parse(plannedOne(plan, `aws_kms_key.${name}_key`).policy));
const refersTo = (address: string, attribute: string, target: string): boolean =>
  (configResource(address).expressions[attribute]?.references ?? []).includes(target);

beforeAll(async () => {
  [plan, withCloudWatch] = await Promise.all([
    planOf(undefined, { region: HOME_REGION }),
    // A plan other suites share (support/plan-configurations.ts), in the same home region.
    planShared(OVERRIDES),
  ]);
});

describe("CIS AWS Foundations v1.4, section 3 (logging)", () => {
  it("CIS 3.1 — the trail is multi-region and records all management events", () => {
    const trail = plannedOne(plan, "aws_cloudtrail.audit_trail_trail[0]");
    expect(trail.is_multi_region_trail).toBe(true);
    expect(trail.include_global_service_events).toBe(true);
    expect(trail.enable_logging).toBe(true);
    expect(trail.event_selector).toEqual([expect.objectContaining({ include_management_events: true, read_write_type: "All" })]);
  });

  it("CIS 3.2 — log file validation is enabled", () => {
    expect(plannedOne(plan, "aws_cloudtrail.audit_trail_trail[0]").enable_log_file_validation).toBe(true);
  });

  it("CIS 3.3 — the trail's bucket is not publicly accessible", () => {
    expect(plannedOne(plan, "aws_s3_bucket_public_access_block.log_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const allows = statementsOf("data.aws_iam_policy_document.log_bucket_policy_document").filter((s) => s.effect === "Allow");
    for (const allow of allows) expect(allow.principals).toEqual([{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }]);
  });

  it("CIS 3.4 — CloudTrail delivers to an encrypted CloudWatch Logs group when trail_cloudwatch_logs_enabled (off by default, for cost)", () => {
    expect(planned(plan, "aws_cloudwatch_log_group").map((g) => g.values.name)).not.toContain("/aws/cloudtrail/cloudtrail-alerting");
    const trail = plannedOne(withCloudWatch, "aws_cloudtrail.audit_trail_trail[0]");
    expect(trail.cloud_watch_logs_group_arn).toBe(`arn:aws:logs:${HOME_REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/cloudtrail-alerting:*`);
    expect(trail.cloud_watch_logs_role_arn).toBe(`arn:aws:iam::${ACCOUNT}:role/cloudtrail-alerting-trail-to-logs`);
    const group = planned(withCloudWatch, "aws_cloudwatch_log_group").find((g) => g.values.name === "/aws/cloudtrail/cloudtrail-alerting");
    expect(group?.values.retention_in_days).toBeGreaterThanOrEqual(365);
  });

  it("CIS 3.6 — S3 server access logging is enabled on the trail's bucket", () => {
    const logging = plannedOne(plan, "aws_s3_bucket_logging.log_bucket_access_logging");
    expect(logging.target_bucket).toBe(`cloudtrail-alerting-s3logs-${ACCOUNT}-${HOME_REGION}`);
    expect(logging.target_prefix).toBe(`cloudtrail-alerting-logs-${ACCOUNT}-${HOME_REGION}/`);
    expect(refersTo("aws_s3_bucket_logging.log_bucket_access_logging", "bucket", "aws_s3_bucket.log_bucket_bucket.id")).toBe(true);
  });

  it("CIS 3.7 — trail logs encrypted with a customer-managed key", () => {
    expect(refersTo("aws_cloudtrail.audit_trail_trail", "kms_key_id", "aws_kms_key.trail_key_key.arn")).toBe(true);
    const rule = plannedOne(plan, "aws_s3_bucket_server_side_encryption_configuration.log_bucket_encryption").rule[0];
    expect(rule.apply_server_side_encryption_by_default[0].sse_algorithm).toBe("aws:kms");
    expect(rule.bucket_key_enabled).toBe(true);
  });

  it("CIS 3.8 — rotation is enabled for every customer-managed key", () => {
    const keys = planned(plan, "aws_kms_key");
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.values.enable_key_rotation).toBe(true);
  });
});

describe("KMS key policies", () => {
  it("CKV_AWS_33 — no key policy has a wildcard principal", () => {
    for (const key of ["trail_key", "alert_key"] as const) {
      for (const s of keyPolicy(key)) {
        for (const p of s.principals) expect(p.identifiers).not.toContain("*");
      }
    }
  });

  it("CloudTrail may encrypt with the trail key only for this trail (aws:SourceArn)", () => {
    const encrypt = bySid(keyPolicy("trail_key"), "CloudTrailEncryptsForThisTrailOnly");
    expect(encrypt.principals).toEqual([{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }]);
    expect(encrypt.conditions).toContainEqual({ test: "StringEquals", variable: "aws:SourceArn", values: [TRAIL_ARN] });
  });

  it("the account's principals may decrypt trail logs, and no other account", () => {
    const decrypt = bySid(keyPolicy("trail_key"), "AccountPrincipalsDecryptTrailLogs");
    expect([...decrypt.actions].sort()).toEqual(["kms:Decrypt", "kms:ReEncryptFrom"]);
    expect(decrypt.principals).toEqual([{ type: "AWS", identifiers: [`arn:aws:iam::${ACCOUNT}:root`] }]);
    expect(decrypt.conditions).toContainEqual({ test: "StringEquals", variable: "kms:CallerAccount", values: [ACCOUNT] });
    for (const key of ["trail_key", "alert_key"] as const) {
      const awsPrincipals = keyPolicy(key).flatMap((s) => s.principals.filter((p) => p.type === "AWS").flatMap((p) => p.identifiers));
      expect(new Set(awsPrincipals)).toEqual(new Set([`arn:aws:iam::${ACCOUNT}:root`]));
    }
  });

  it("only this deployment's CloudWatch alarms may use the alert key as a service", () => {
    const alarms = bySid(keyPolicy("alert_key"), "CloudWatchAlarmsPublishEncrypted");
    expect(alarms.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(alarms.conditions).toContainEqual({
      test: "ArnLike",
      variable: "aws:SourceArn",
      values: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cloudtrail-alerting-*`],
    });
  });
});

describe("S3 buckets (log bucket and access-log bucket)", () => {
  const buckets = ["log_bucket", "access_log_bucket"];

  it("CKV2_AWS_6 — both block every kind of public access", () => {
    for (const b of buckets) {
      expect(plannedOne(plan, `aws_s3_bucket_public_access_block.${b}_public_access_block`)).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
  });

  it("CKV_AWS_21 — both are versioned", () => {
    for (const b of buckets) {
      expect(plannedOne(plan, `aws_s3_bucket_versioning.${b}_versioning`).versioning_configuration[0].status).toBe("Enabled");
    }
  });

  it("CKV_AWS_145 / CKV_AWS_19 — both are encrypted by default (access logs with SSE-S3, the only option S3 log delivery supports)", () => {
    expect(
      plannedOne(plan, "aws_s3_bucket_server_side_encryption_configuration.access_log_bucket_encryption").rule[0]
        .apply_server_side_encryption_by_default[0].sse_algorithm,
    ).toBe("AES256");
  });

  it("CKV2_AWS_61 — both expire objects and abort incomplete multipart uploads", () => {
    for (const b of buckets) {
      const rule = plannedOne(plan, `aws_s3_bucket_lifecycle_configuration.${b}_lifecycle`).rule[0];
      expect(rule.status).toBe("Enabled");
      expect(rule.expiration[0].days).toBe(365);
      expect(rule.abort_incomplete_multipart_upload[0].days_after_initiation).toBe(7);
    }
  });

  it("AWS Foundational S3.5 — both deny requests without TLS", () => {
    for (const b of buckets) {
      const deny = bySid(statementsOf(`data.aws_iam_policy_document.${b}_policy_document`), "DenyInsecureTransport");
      expect(deny.effect).toBe("Deny");
      expect(deny.conditions).toEqual([{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }]);
    }
  });

  it("both disable ACLs (BucketOwnerEnforced)", () => {
    for (const b of buckets) {
      expect(plannedOne(plan, `aws_s3_bucket_ownership_controls.${b}_ownership`).rule[0].object_ownership).toBe("BucketOwnerEnforced");
    }
  });

  it("only S3 log delivery for the log bucket may write access logs", () => {
    const allow = bySid(statementsOf("data.aws_iam_policy_document.access_log_bucket_policy_document"), "S3ServerAccessLogsDelivery");
    expect(allow.principals).toEqual([{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }]);
    expect(allow.conditions.map((c) => c.variable).sort()).toEqual(["aws:SourceAccount", "aws:SourceArn"]);
  });
});

describe("SNS topic", () => {
  it("CKV_AWS_26 — encrypted with the customer-managed alert key", () => {
    expect(refersTo("aws_sns_topic.alert_topic_topic", "kms_master_key_id", "aws_kms_key.alert_key_key.arn")).toBe(true);
  });

  it("topic policy has no open Allow and no other account", () => {
    for (const s of statementsOf("data.aws_iam_policy_document.alert_topic_policy_document")) {
      if (s.effect !== "Allow") continue;
      for (const p of s.principals) expect(p.identifiers).not.toContain("*");
      const accounts = s.principals.filter((p) => p.type === "AWS").flatMap((p) => p.identifiers);
      for (const a of accounts) expect(a).toMatch(/^arn:\$\{data\.aws_partition\.partition\.partition\}:iam::\$\{data\.aws_caller_identity\.account\.account_id\}:root$/);
    }
  });
});

describe("SQS dead-letter queues", () => {
  it("CKV_AWS_27 — every queue is encrypted", () => {
    const queues = planned(plan, "aws_sqs_queue");
    // Delivery and notifier dead-letter queues, and the home region's forwarding dead-letter queue (home eu-west-1).
    expect(queues.map((q) => q.values.name).sort()).toEqual([
      "cloudtrail-alerting-delivery-dlq",
      "cloudtrail-alerting-forwarding-dlq",
      "cloudtrail-alerting-notifier-dlq",
    ]);
    for (const q of queues) expect(q.values.sqs_managed_sse_enabled).toBe(true);
  });

  it("only this deployment's rules may write to the delivery dead-letter queue", () => {
    const allow = bySid(statementsOf("data.aws_iam_policy_document.event_rules_delivery_dlq_policy_document"), "AllowEventBridgeDeadLetters");
    expect(allow.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com"] }]);
    // Rule ARNs built from this deployment's rule names (application_name prefix, enabled presets).
    expect(allow.conditions[0]).toMatchObject({ test: "ArnEquals", variable: "aws:SourceArn" });
    expect(allow.references).toEqual(expect.arrayContaining(["local.event_rules_rule_name_suffixes", "var.application_name"]));
  });

  it("only the notifier's role may write to the notifier dead-letter queue", () => {
    const allow = bySid(statementsOf("data.aws_iam_policy_document.notifier_dlq_policy_document"), "AllowFunctionDeadLetters");
    expect(allow.principals).toEqual([
      { type: "AWS", identifiers: ["arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:role/${var.application_name}-notifier"] },
    ]);
  });
});

describe("Lambda function", () => {
  const fn = (): PlanJson => plannedOne(plan, "aws_lambda_function.notifier_function");

  it("CKV_AWS_50 — X-Ray tracing is active", () => {
    expect(fn().tracing_config).toEqual([{ mode: "Active" }]);
  });

  it("CKV_AWS_115 — concurrency is reserved", () => {
    expect(fn().reserved_concurrent_executions).toBe(5);
  });

  it("CKV_AWS_116 — failed asynchronous invocations go to a dead-letter queue", () => {
    const dlq = configResource("aws_lambda_function.notifier_function").expressions.dead_letter_config[0];
    expect(dlq.target_arn.references).toContain("aws_sqs_queue.notifier_dlq_queue.arn");
  });

  it("CKV_AWS_173 — environment variables are encrypted with the customer-managed key", () => {
    expect(refersTo("aws_lambda_function.notifier_function", "kms_key_arn", "aws_kms_key.alert_key_key.arn")).toBe(true);
  });

  it("CKV_AWS_363 — runs a current runtime (nodejs22.x)", () => {
    expect(fn().runtime).toBe("nodejs22.x");
  });

  it("CKV_AWS_45 — no credentials in environment variables: topic ARNs and account names only", () => {
    // TOPIC_ARN, HEARTBEAT_TOPIC_ARN and ACCOUNT_NAMES, merged with the chat and structured-alert topics' ARNs when those exist (none by default).
    const synthesized = JSON.parse(readFileSync(join(shared().stackDir, "cdk.tf.json"), "utf8"));
    const variables: string = synthesized.resource.aws_lambda_function.notifier_function.environment.variables;
    expect([...variables.matchAll(/"([A-Z_]+)" = /g)].map((m) => m[1]).sort()).toEqual(["ACCOUNT_NAMES", "HEARTBEAT_TOPIC_ARN", "TOPIC_ARN"]);
    expect(variables).toContain("local.notifier_destination_topics");
    const destinations = JSON.parse(readFileSync(join(shared().stackDir, "cdk.tf.json"), "utf8")).locals.notifier_destination_topics;
    expect(destinations).toBe(
      "${{ for name, topic in { CHAT_TOPIC_ARN = { enabled = length(var.slack_channels) + length(var.teams_channels) > 0, arn = one(aws_sns_topic.chat_topic_topic[*].arn) }, STRUCTURED_TOPIC_ARN = { enabled = length(var.sns_subscriptions) > 0, arn = one(aws_sns_topic.structured_topic_topic[*].arn) } } : name => topic.arn if topic.enabled }}",
    );
  });
});

describe("CloudWatch log groups", () => {
  it("CKV_AWS_158 — every log group is KMS-encrypted", () => {
    for (const p of [plan, withCloudWatch]) {
      for (const g of (p.configuration.root_module.resources as PlanJson[]).filter((r) => r.type === "aws_cloudwatch_log_group")) {
        expect(g.expressions.kms_key_id?.references ?? [], g.address).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_kms_key\.(trail|alert)_key_key\.arn$/)]));
      }
    }
  });

  it("CKV_AWS_338 — logs are kept at least a year by default", () => {
    for (const g of planned(withCloudWatch, "aws_cloudwatch_log_group")) expect(g.values.retention_in_days).toBeGreaterThanOrEqual(365);
  });
});

describe("IAM", () => {
  it("CKV_AWS_1 / CKV_AWS_355 — no policy document allows a '*' action", () => {
    for (const doc of policyDocs()) {
      for (const s of statementsOf(doc).filter((x) => x.effect === "Allow")) {
        for (const action of s.actions) expect({ doc, action }).not.toEqual({ doc, action: "*" });
      }
    }
  });

  it("CKV_AWS_111 / CKV_AWS_290 — '*' resources only where the action cannot be restricted (X-Ray) or in key policies (where '*' means the key itself)", () => {
    for (const doc of policyDocs().filter((d) => !/_key_policy_document$/.test(d))) {
      for (const s of statementsOf(doc).filter((x) => x.effect === "Allow")) {
        if (s.resources.includes("*")) expect({ doc, actions: s.actions }).toEqual({ doc, actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] });
      }
    }
  });

  it("CKV_AWS_286/287/288/289 — no privilege-escalation or permissions-management actions for the function", () => {
    const actions = statementsOf("data.aws_iam_policy_document.notifier_permissions").flatMap((s) => s.actions);
    for (const action of actions) expect(action).not.toMatch(/^(iam|sts|lambda|kms:(Create|Put|Schedule|Disable))/);
  });

  it("trust policies name only the service principals needed", () => {
    expect(statementsOf("data.aws_iam_policy_document.notifier_trust").flatMap((s) => s.principals)).toEqual([
      { type: "Service", identifiers: ["lambda.amazonaws.com"] },
    ]);
    const delivery = statementsOf("data.aws_iam_policy_document.audit_trail_delivery_trust");
    expect(delivery.flatMap((s) => s.principals)).toEqual([{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }]);
    expect(delivery[0].conditions).toContainEqual({ test: "StringEquals", variable: "aws:SourceArn", values: [TRAIL_ARN] });
  });
});

describe("failure visibility", () => {
  const alarms = (): { address: string; values: PlanJson }[] => planned(plan, "aws_cloudwatch_metric_alarm");
  const alarmOn = (metric: string, dimension: Record<string, string>): PlanJson => {
    const found = alarms().find((a) => a.values.metric_name === metric && JSON.stringify(a.values.dimensions) === JSON.stringify(dimension));
    if (!found) throw new Error(`no alarm on ${metric} ${JSON.stringify(dimension)}`);
    return found;
  };

  it("an alarm fires on any message in each dead-letter queue", () => {
    for (const queue of ["cloudtrail-alerting-delivery-dlq", "cloudtrail-alerting-notifier-dlq"]) {
      const alarm = alarmOn("ApproximateNumberOfMessagesVisible", { QueueName: queue }).values;
      expect(alarm).toMatchObject({ namespace: "AWS/SQS", comparison_operator: "GreaterThanThreshold", threshold: 0 });
      expect(alarm.alarm_description).toContain("npm run redrive");
    }
  });

  it("alarms fire on the function's errors and throttles", () => {
    for (const metric of ["Errors", "Throttles"]) {
      expect(alarmOn(metric, { FunctionName: "cloudtrail-alerting-notifier" }).values.namespace).toBe("AWS/Lambda");
    }
  });

  it("an alarm fires on each rule's FailedInvocations", () => {
    for (const rule of ["cloudtrail-alerting-iam-events", "cloudtrail-alerting-root-activity"]) {
      expect(alarmOn("FailedInvocations", { RuleName: rule }).values.namespace).toBe("AWS/Events");
    }
  });

  it("alarms publish straight to the alert topic, not through the function", () => {
    for (const alarm of alarms()) {
      // for_each instances (the presets' alarms) share one configuration block: drop the instance key.
      const expressions = configResource(alarm.address.replace(/\[[^\]]*\]$/, "")).expressions;
      if (expressions.alarm_actions === undefined) {
        // A watched region's alarm: actions reach only the alarm's own region, so EventBridge carries
        // its state changes to us-east-1, where a rule publishes them to the topic (__tests__/liveness/).
        expect(alarm.values.alarm_name).toBe("cloudtrail-alerting-forwarding-dlq-not-empty");
        continue;
      }
      const actions = expressions.alarm_actions.references as string[];
      expect(actions).toContain("aws_sns_topic.alert_topic_topic.arn");
      expect(actions.some((r) => r.startsWith("aws_lambda_function"))).toBe(false);
    }
  });

  it("each alarm says what failed and what to run (replay, or the status screen), within CloudWatch's 1024-character description limit", () => {
    for (const alarm of alarms()) {
      expect(alarm.values.alarm_description.length).toBeLessThanOrEqual(1024);
      // Failed deliveries are replayed; failed notifications and forwarded events cannot be, so those alarms point at npm run status.
      expect(alarm.values.alarm_description).toMatch(/npm run (redrive|status) -- --application-name cloudtrail-alerting/);
    }
  });
});
