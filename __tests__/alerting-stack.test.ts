/**
 * Specification of the synthesized stack: each secure default and each piece
 * of wiring pinned by one test, then one whole-stack snapshot.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IAM_EVENTS } from "../src/stacks/alerting-stack";
import { Json, onlyResource, resourcesOf, synthStack } from "./support/synth";

let synth: Json;
beforeAll(() => {
  synth = synthStack();
});

const policyDocument = (id: string): Json => {
  const doc = synth.data.aws_iam_policy_document[id];
  if (!doc) throw new Error(`no aws_iam_policy_document ${id}`);
  return doc;
};
const statement = (docId: string, sid: string): Json => {
  const found = policyDocument(docId).statement.find((s: Json) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${docId}`);
  return found;
};
const resource = (type: string, id: string): Json => {
  const found = resourcesOf(synth, type)[id];
  if (!found) throw new Error(`no ${type}.${id}`);
  return found;
};
/** Targets of the alerting rules and the heartbeat rule (forwarding targets in watched regions point at a bus, the regional alarms' at the topic). */
const notifierTargets = (): Json[] =>
  Object.entries(resourcesOf(synth, "aws_cloudwatch_event_target"))
    .filter(([id]) => !id.startsWith("forwarding_") && id !== "regional_alarms_target")
    .map(([, target]) => target);
/** The decoded EventBridge pattern: `${jsonencode({...})}` is HCL, so compare on the expression text. */
const patternOf = (ruleId: string): string => resourcesOf(synth, "aws_cloudwatch_event_rule")[ruleId].event_pattern;

describe("log bucket", () => {
  it("blocks every kind of public access", () => {
    const block = resource("aws_s3_bucket_public_access_block", "log_bucket_public_access_block");
    expect(block).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("encrypts objects by default with the trail's customer-managed key and an S3 Bucket Key", () => {
    const rule = resource("aws_s3_bucket_server_side_encryption_configuration", "log_bucket_encryption").rule[0];
    expect(rule.apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "${aws_kms_key.trail_key_key.arn}",
    });
    expect(rule.bucket_key_enabled).toBe(true);
  });

  it("keeps versions of log files", () => {
    expect(resource("aws_s3_bucket_versioning", "log_bucket_versioning").versioning_configuration.status).toBe("Enabled");
  });

  it("disables ACLs (BucketOwnerEnforced)", () => {
    expect(resource("aws_s3_bucket_ownership_controls", "log_bucket_ownership").rule.object_ownership).toBe("BucketOwnerEnforced");
  });

  it("expires logs and their old versions after the configured retention", () => {
    const rule = resource("aws_s3_bucket_lifecycle_configuration", "log_bucket_lifecycle").rule[0];
    expect(rule.status).toBe("Enabled");
    expect(rule.expiration[0].days).toBe("${var.trail_log_retention_days}");
    expect(rule.noncurrent_version_expiration[0].noncurrent_days).toBe("${var.trail_log_retention_days}");
  });

  it("is never force-destroyed with its audit logs", () => {
    expect(resource("aws_s3_bucket", "log_bucket_bucket").force_destroy).toBe(false);
  });

  it("has a name derived from application_name, account and region, so it cannot collide across accounts", () => {
    expect(resource("aws_s3_bucket", "log_bucket_bucket").bucket).toBe(
      "${var.application_name}-logs-${data.aws_caller_identity.account.account_id}-${data.aws_region.home_region.name}",
    );
  });

  it("lets CloudTrail read the bucket ACL only on behalf of this trail", () => {
    const acl = statement("log_bucket_policy_document", "AWSCloudTrailAclCheck");
    expect(acl.effect).toBe("Allow");
    expect(acl.actions).toEqual(["s3:GetBucketAcl"]);
    expect(acl.principals).toEqual([{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }]);
    expect(acl.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceArn", values: [expect.stringMatching(/:cloudtrail:.*:trail\/\$\{var\.application_name\}-trail$/)] },
    ]);
  });

  it("lets CloudTrail write only under AWSLogs/<account>/ and only for this trail", () => {
    const write = statement("log_bucket_policy_document", "AWSCloudTrailWrite");
    expect(write.actions).toEqual(["s3:PutObject"]);
    expect(write.resources).toEqual(["${aws_s3_bucket.log_bucket_bucket.arn}/AWSLogs/${data.aws_caller_identity.account.account_id}/*"]);
    expect(write.condition).toContainEqual(
      expect.objectContaining({ variable: "aws:SourceArn", values: [expect.stringContaining(":trail/")] }),
    );
  });

  it("grants nothing to anyone but CloudTrail", () => {
    const allows = policyDocument("log_bucket_policy_document").statement.filter((s: Json) => s.effect === "Allow");
    for (const allow of allows) {
      expect(allow.principals).toEqual([{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }]);
    }
  });

  it("denies any request without TLS", () => {
    const deny = statement("log_bucket_policy_document", "DenyInsecureTransport");
    expect(deny).toMatchObject({
      effect: "Deny",
      actions: ["s3:*"],
      principals: [{ type: "*", identifiers: ["*"] }],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
    expect(deny.resources).toEqual(["${aws_s3_bucket.log_bucket_bucket.arn}", "${aws_s3_bucket.log_bucket_bucket.arn}/*"]);
  });
});

describe("trail", () => {
  it("records every region, including global service events such as IAM", () => {
    const trail = onlyResource(synth, "aws_cloudtrail");
    expect(trail.is_multi_region_trail).toBe(true);
    expect(trail.include_global_service_events).toBe(true);
  });

  it("validates log files and is logging", () => {
    const trail = onlyResource(synth, "aws_cloudtrail");
    expect(trail.enable_log_file_validation).toBe(true);
    expect(trail.enable_logging).toBe(true);
  });

  it("records management events, reads and writes", () => {
    expect(onlyResource(synth, "aws_cloudtrail").event_selector).toEqual([
      { include_management_events: true, read_write_type: "All" },
    ]);
  });

  it("is created after the bucket policy that lets it write", () => {
    expect(onlyResource(synth, "aws_cloudtrail").depends_on).toContain("aws_s3_bucket_policy.log_bucket_policy");
  });

  it("writes to the log bucket under the name its ARN condition expects", () => {
    const trail = onlyResource(synth, "aws_cloudtrail");
    expect(trail.s3_bucket_name).toBe("${aws_s3_bucket.log_bucket_bucket.bucket}");
    expect(trail.name).toBe("${var.application_name}-trail");
  });
});

describe("event rules", () => {
  it("match the IAM calls listed in var.iam_events, through jsonencode so tfvars change the deployed pattern", () => {
    const pattern = patternOf("event_rules_iam_events");
    expect(pattern.startsWith("${jsonencode(")).toBe(true);
    expect(pattern).toContain('"source" = ["aws.iam"]');
    expect(pattern).toContain('"detail-type" = ["AWS API Call via CloudTrail"]');
    expect(pattern).toContain('"eventSource" = ["iam.amazonaws.com"]');
    expect(pattern).toContain('"eventName" = var.iam_events');
  });

  it("match any use of the root user, API calls and console sign-in, through the root-activity preset", () => {
    const root = synth.locals.alert_presets_catalog["root-activity"];
    expect(root.event_pattern).toContain('"userIdentity" = {"type" = ["Root"]');
    expect(root.event_pattern).toContain('"AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"');
    expect(patternOf("event_rules_presets")).toBe("${each.value.event_pattern}");
  });

  it("target the notifier function with a retry policy", () => {
    const targets = notifierTargets();
    expect(targets).toHaveLength(3); // iam_events, the presets (for_each), the heartbeat
    for (const target of targets) {
      expect(target.arn).toBe("${aws_lambda_function.notifier_function.arn}");
      expect(target.retry_policy.maximum_retry_attempts).toBeGreaterThan(0);
      expect(target.retry_policy.maximum_event_age_in_seconds).toBeGreaterThanOrEqual(3600);
    }
  });

  it("send undeliverable events to an encrypted dead-letter queue", () => {
    const targets = notifierTargets();
    for (const target of targets) {
      expect(target.dead_letter_config.arn).toBe("${aws_sqs_queue.event_rules_delivery_dlq_queue.arn}");
    }
    expect(resourcesOf(synth, "aws_sqs_queue").event_rules_delivery_dlq_queue.sqs_managed_sse_enabled).toBe(true);
  });

  it("let only these rules write to the delivery dead-letter queue", () => {
    const allow = statement("event_rules_delivery_dlq_policy_document", "AllowEventBridgeDeadLetters");
    expect(allow.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com"] }]);
    expect(allow.actions).toEqual(["sqs:SendMessage"]);
    expect(allow.condition[0]).toEqual({
      test: "ArnEquals",
      variable: "aws:SourceArn",
      // The iam_events rule and every enabled preset rule, then the liveness rules (the regional alarms, the heartbeat
      // unless it is off), with ARNs built from their names (default-bus rule ARNs are deterministic), so the policy is known at plan time.
      values:
        '${formatlist("arn:${data.aws_partition.partition.partition}:events:us-east-1:${data.aws_caller_identity.account.account_id}:rule/${var.application_name}-%s", concat(local.event_rules_rule_name_suffixes, concat(["regional-alarms"], (var.heartbeat_interval_minutes == null) ? [] : ["heartbeat"])))}',
    });
    expect(synth.locals.event_rules_rule_name_suffixes).toBe(
      '${concat(["iam-events"], [for rule in values(local.alert_preset_rules) : rule.name_suffix])}',
    );
    // Same names as the rules themselves get.
    expect(resource("aws_cloudwatch_event_rule", "event_rules_presets").name).toBe("${var.application_name}-${each.value.name_suffix}");
  });

  it("may invoke the function only from their own ARNs", () => {
    const permissions = Object.values(resourcesOf(synth, "aws_lambda_permission"));
    expect(permissions.map((p) => p.source_arn).sort()).toEqual([
      "${aws_cloudwatch_event_rule.event_rules_iam_events.arn}",
      "${each.value.arn}", // one permission per preset rule instance (for_each over the rules)
      // the heartbeat rule (counted: its ARN is built from its name)
      "arn:${data.aws_partition.partition.partition}:events:us-east-1:${data.aws_caller_identity.account.account_id}:rule/${var.application_name}-heartbeat",
    ]);
    expect(resource("aws_lambda_permission", "event_rules_presets_permission").for_each).toBe(
      "${aws_cloudwatch_event_rule.event_rules_presets}",
    );
    for (const permission of permissions) {
      expect(permission.principal).toBe("events.amazonaws.com");
      expect(permission.action).toBe("lambda:InvokeFunction");
    }
  });
});

describe("notifier function", () => {
  it("runs nodejs22.x on arm64 with the bundle's index.handler", () => {
    const fn = onlyResource(synth, "aws_lambda_function");
    expect(fn.runtime).toBe("nodejs22.x");
    expect(fn.architectures).toEqual(["arm64"]);
    expect(fn.handler).toBe("index.handler");
  });

  it("ships the zipped handler bundle as a cdktf asset, with source_code_hash taken from that zip", () => {
    const fn = onlyResource(synth, "aws_lambda_function");
    expect(fn.filename).toMatch(/^assets\/notifier_code\/[0-9A-F]{32}\/archive\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename}")}`);
  });

  it("gets the alert topic through TOPIC_ARN, the heartbeat topic's, account names, and the chat and structured topics' only when they exist", () => {
    const variables = onlyResource(synth, "aws_lambda_function").environment.variables as string;
    expect(variables).toMatch(/^\$\{merge\(\{.*\}, local\.notifier_destination_topics\)\}$/);
    expect(variables).toContain('"TOPIC_ARN" = aws_sns_topic.alert_topic_topic.arn');
    expect(variables).toContain('"HEARTBEAT_TOPIC_ARN" = "arn:${data.aws_partition.partition.partition}:sns:us-east-1:${data.aws_caller_identity.account.account_id}:${var.application_name}-heartbeat"');
    expect(variables).toContain('"ACCOUNT_NAMES" = jsonencode(var.account_names)');
    expect(synth.locals.notifier_destination_topics).toBe(
      "${{ for name, topic in { CHAT_TOPIC_ARN = { enabled = length(var.slack_channels) + length(var.teams_channels) > 0, arn = one(aws_sns_topic.chat_topic_topic[*].arn) }, STRUCTURED_TOPIC_ARN = { enabled = length(var.sns_subscriptions) > 0, arn = one(aws_sns_topic.structured_topic_topic[*].arn) } } : name => topic.arn if topic.enabled }}",
    );
  });

  it("keeps failed asynchronous invocations in its own encrypted dead-letter queue", () => {
    expect(onlyResource(synth, "aws_lambda_function").dead_letter_config.target_arn).toBe(
      "${aws_sqs_queue.notifier_dlq_queue.arn}",
    );
    expect(resourcesOf(synth, "aws_sqs_queue").notifier_dlq_queue.sqs_managed_sse_enabled).toBe(true);
    expect(onlyResource(synth, "aws_lambda_function_event_invoke_config").maximum_retry_attempts).toBe(2);
  });

  it("logs to its own log group with the configured retention", () => {
    const group = resource("aws_cloudwatch_log_group", "notifier_logs");
    expect(group.name).toBe("/aws/lambda/${var.application_name}-notifier");
    expect(group.retention_in_days).toBe("${var.log_retention_days}");
    expect(onlyResource(synth, "aws_lambda_function").logging_config.log_group).toBe(
      "${aws_cloudwatch_log_group.notifier_logs.name}",
    );
  });

  it("has a role that only Lambda can assume", () => {
    const trust = policyDocument("notifier_trust").statement;
    expect(trust).toEqual([
      { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] },
    ]);
  });

  it("may only publish to this topic and the heartbeat's (with its key), write its own logs and traces, and send to its own dead-letter queue", () => {
    const statements = policyDocument("notifier_permissions").statement;
    expect(statements.map((s: Json) => [s.actions, s.resources])).toEqual([
      [["logs:CreateLogStream", "logs:PutLogEvents"], ["${aws_cloudwatch_log_group.notifier_logs.arn}:*"]],
      [
        ["sns:Publish"],
        [
          "${aws_sns_topic.alert_topic_topic.arn}",
          "arn:${data.aws_partition.partition.partition}:sns:us-east-1:${data.aws_caller_identity.account.account_id}:${var.application_name}-heartbeat",
        ],
      ],
      [["sqs:SendMessage"], ["${aws_sqs_queue.notifier_dlq_queue.arn}"]],
      [["kms:GenerateDataKey", "kms:Decrypt"], ["${aws_kms_key.alert_key_key.arn}"]],
      [["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]],
    ]);
    expect(statements.every((s: Json) => s.effect === "Allow")).toBe(true);
  });

  it("has no wildcard action, and a wildcard resource only where AWS allows nothing else (X-Ray)", () => {
    const statements: Json[] = policyDocument("notifier_permissions").statement;
    for (const s of statements) {
      for (const action of s.actions) expect(action).not.toContain("*");
      for (const resource of s.resources) {
        if (resource === "*") expect(s.actions.every((a: string) => a.startsWith("xray:"))).toBe(true);
        // `<log group ARN>:*` is how IAM names the streams of one log group; nothing else may end in a wildcard.
        else if (resource.endsWith("*")) expect(resource).toBe("${aws_cloudwatch_log_group.notifier_logs.arn}:*");
      }
    }
  });
});

describe("alert topic", () => {
  it("is encrypted with the alerting customer-managed key", () => {
    expect(resourcesOf(synth, "aws_sns_topic")["alert_topic_topic"].kms_master_key_id).toBe("${aws_kms_key.alert_key_key.arn}");
  });

  it("accepts publishing only from this account's principals", () => {
    const allow = statement("alert_topic_policy_document", "AllowPublishFromThisAccountOnly");
    expect(allow.actions).toEqual(["sns:Publish"]);
    expect(allow.principals).toEqual([
      { type: "AWS", identifiers: ["arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:root"] },
    ]);
    const allows = policyDocument("alert_topic_policy_document").statement.filter((s: Json) => s.effect === "Allow");
    // The rule that emails the watched regions' alarms publishes too (see __tests__/liveness/).
    expect(allows.map((s: Json) => s.sid)).toEqual(["AllowPublishFromThisAccountOnly", "AllowThisDeploymentsAlarms", "AllowThisDeploymentsRules"]);
  });

  it("lets only this deployment's CloudWatch alarms publish as a service", () => {
    const alarms = statement("alert_topic_policy_document", "AllowThisDeploymentsAlarms");
    expect(alarms.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(alarms.condition).toEqual([
      {
        test: "ArnLike",
        variable: "aws:SourceArn",
        values: ["arn:${data.aws_partition.partition.partition}:cloudwatch:us-east-1:${data.aws_caller_identity.account.account_id}:alarm:${var.application_name}-*"],
      },
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.account.account_id}"] },
    ]);
  });

  it("refuses publishing without TLS", () => {
    expect(statement("alert_topic_policy_document", "DenyInsecureTransport").condition).toEqual([
      { test: "Bool", variable: "aws:SecureTransport", values: ["false"] },
    ]);
  });

  it("subscribes each address in sns_endpoint by email, keyed by address, accepting a string or a list", () => {
    const subscription = resourcesOf(synth, "aws_sns_topic_subscription")["alert_topic_email"];
    expect(subscription.protocol).toBe("email");
    expect(subscription.endpoint).toBe("${each.value}");
    expect(subscription.for_each).toBe("${toset(local.alert_email_addresses)}");
    expect(synth.locals.alert_email_addresses).toBe("${flatten([var.sns_endpoint])}");
  });
});

describe("regions", () => {
  const alertingTypes = [
    "aws_cloudwatch_event_rule",
    "aws_cloudwatch_event_target",
    "aws_lambda_function",
    "aws_lambda_permission",
    "aws_sns_topic",
    "aws_sns_topic_subscription",
    "aws_sqs_queue",
    "aws_cloudwatch_metric_alarm",
    "aws_kms_key",
  ];

  it("create rules, function, queues, alarms, key and topic in us-east-1, where IAM events reach EventBridge", () => {
    const alerting = synth.provider.aws.find((p: Json) => p.alias === "alerting");
    expect(alerting.region).toBe("us-east-1");
    for (const type of alertingTypes) {
      for (const [id, r] of Object.entries(resourcesOf(synth, type))) {
        if (type === "aws_kms_key" && id === "trail_key_key") continue; // the trail's key lives with the trail
        if (id.startsWith("forwarding_")) continue; // forwarding rules live in the watched regions (see __tests__/presets/forwarding.test.ts)
        expect({ id, provider: (r as Json).provider }).toEqual({ id, provider: "aws.alerting" });
      }
    }
  });

  it("keep the alerting half in us-east-1 even when the home region is elsewhere", () => {
    const elsewhere = synthStack({ homeRegion: "eu-central-1" });
    const providers: Json[] = elsewhere.provider.aws;
    expect(providers.find((p) => p.alias === undefined).region).toBe("eu-central-1");
    expect(providers.find((p) => p.alias === "alerting").region).toBe("us-east-1");
  });

  it("leave the home region to the provider's own resolution by default, like plain Terraform", () => {
    expect(synth.provider.aws.find((p: Json) => p.alias === undefined).region).toBeUndefined();
  });
});

describe("variables", () => {
  it("keep the seed's names and defaults", () => {
    expect(synth.variable.application_name.default).toBe("cloudtrail-alerting");
    expect(synth.variable.iam_events.default).toEqual(DEFAULT_IAM_EVENTS);
    expect(synth.variable.iam_events.type).toBe("list(string)");
    expect(synth.variable.sns_endpoint.type).toBe("any");
  });

  it("each have a description and a type", () => {
    for (const [name, variable] of Object.entries<Json>(synth.variable)) {
      expect({ name, description: typeof variable.description }).toEqual({ name, description: "string" });
      expect(variable.type, name).toBeTruthy();
    }
  });

  it("validate with messages that name the variable", () => {
    for (const name of ["application_name", "iam_events", "sns_endpoint", "log_retention_days", "trail_log_retention_days", "notifier_reserved_concurrency", "alert_presets", "ignored_principal_arns", "heartbeat_interval_minutes"]) {
      const validations: Json[] = synth.variable[name].validation;
      expect(validations.length, name).toBeGreaterThan(0);
      for (const v of validations) expect(v.error_message).toContain(name);
    }
  });

  it("tag every resource through the providers' default_tags", () => {
    for (const provider of synth.provider.aws) {
      expect(provider.default_tags).toEqual([{ tags: "${var.tags}" }]);
    }
  });
});

describe("outputs", () => {
  it("expose topic, trail, bucket, function and rule names", () => {
    expect(Object.keys(synth.output).sort()).toEqual([
      "alerting_region",
      "event_rule_names",
      "log_bucket_name",
      "notifier_function_name",
      "structured_topic_arn",
      "topic_arn",
      "trail_arn",
    ]);
  });
});

describe("whole stack", () => {
  it("matches the reviewed snapshot (asset hashes masked)", () => {
    const text = JSON.stringify(synth, null, 2).replace(/[0-9A-F]{32}/g, "<asset-hash>");
    expect(text).toMatchSnapshot();
  });
});
