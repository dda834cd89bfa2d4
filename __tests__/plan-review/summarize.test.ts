/**
 * The plan summary on plans recorded from the real terraform against the
 * emulator (fixtures/*.plan.json; re-record with
 * `UPDATE_PLAN_FIXTURES=1 npx vitest run __tests__/plan-review`), and on
 * variations of them made with structuredClone for settings the stack's
 * variables cannot change.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_IAM_EVENTS } from "../../src/stacks/alerting-stack";
import { Finding, PlanJson, renderMarkdown, ResourceChange, summarizePlan } from "../../tools/plan-review";
import { deployed, loadFixture, planOf } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const messages = (findings: readonly Finding[], kind: Finding["kind"]): string[] =>
  findings.filter((f) => f.kind === kind).map((f) => f.message);

/** An in-place update of a deployed resource: `edit` changes the planned side (and `editBefore` the prior one). */
function update(type: string, edit: (after: Json) => void, editBefore: (before: Json) => void = () => {}): ResourceChange {
  const rc = deployed(type);
  rc.change.before = structuredClone(rc.change.after);
  editBefore(rc.change.before);
  edit(rc.change.after);
  rc.change.actions = ["update"];
  return rc;
}

const summaryOf = (...changes: ResourceChange[]) => summarizePlan(planOf(...changes));

describe("recorded plan: two events and a subscriber removed, log file validation off", () => {
  const summary = summarizePlan(loadFixture("weakened"));

  it("is a weakening", () => {
    expect(summary.weakened).toBe(true);
  });

  it("names the two events that stop being monitored, in one finding", () => {
    expect(summary.findings).toContainEqual(
      expect.objectContaining({
        kind: "weakening",
        area: "events",
        message: expect.stringMatching(/^Stops alerting on `DeleteUser`, `DeleteVirtualMFADevice` \(rule `[^`]+-iam-events`\)\.$/),
      }),
    );
  });

  it("names the removed subscriber, not the one that stays", () => {
    const subscribers = summary.findings.filter((f) => f.area === "subscribers");
    expect(subscribers.map((f) => [f.kind, f.message])).toEqual([["weakening", "Subscriber removed: `oncall@example.com` (email)."]]);
  });

  it("names log file validation turned off", () => {
    expect(messages(summary.findings, "weakening")).toContainEqual(expect.stringMatching(/^Trail `[^`]+` no longer validates log files/));
  });

  it("reports nothing else as a weakening", () => {
    expect(summary.findings.filter((f) => f.kind === "weakening").map((f) => f.area)).toEqual(["events", "subscribers", "trail"]);
  });

  it("does not call a policy recomputed during apply a weakening: it says it cannot be reviewed", () => {
    const policy = summary.findings.filter((f) => f.address.startsWith("aws_sqs_queue_policy."));
    expect(policy.map((f) => f.kind)).toEqual(policy.map(() => "change"));
    for (const f of policy) expect(f.message).toContain("recomputed during apply");
  });

  it("counts as terraform does: nothing added, the subscription destroyed", () => {
    expect(summary.counts).toMatchObject({ add: 0, destroy: 1 });
    expect(summary.counts.change).toBe(summary.resources.filter((r) => r.effect === "update").length);
  });

  it("lists changed resources with their changed attributes, by address", () => {
    const trail = summary.resources.find((r) => r.type === "aws_cloudtrail");
    expect(trail).toMatchObject({ effect: "update", attributes: ["enable_log_file_validation"] });
    const addresses = summary.resources.map((r) => r.address);
    expect(addresses).toEqual([...addresses].sort());
  });
});

describe("recorded plan: one event added", () => {
  const summary = summarizePlan(loadFixture("added-event"));

  it("is a strengthening, with no weakening", () => {
    expect(summary.weakened).toBe(false);
    expect(messages(summary.findings, "strengthening")).toContainEqual(expect.stringMatching(/^Starts alerting on `CreateLoginProfile` \(rule /));
  });
});

describe("recorded plan: bucket public access block off and policy widened (override file)", () => {
  const summary = summarizePlan(loadFixture("bucket-opened"));
  const weakenings = messages(summary.findings, "weakening");

  it("names the public access block flags turned off", () => {
    expect(weakenings).toContainEqual(
      expect.stringMatching(/^Public access block of bucket `[^`]+-logs-[^`]+`: `block_public_policy`, `restrict_public_buckets` turned off\.$/),
    );
  });

  it("names the TLS-only statement removed", () => {
    expect(weakenings).toContainEqual(expect.stringMatching(/^Policy of bucket `[^`]+-logs-[^`]+` no longer refuses requests without TLS/));
  });

  it("names the new grant to anyone", () => {
    expect(weakenings).toContainEqual(expect.stringMatching(/^Policy of bucket `[^`]+-logs-[^`]+` now allows anyone \(`\*`\): `s3:GetObject` on `arn:aws:s3:::/));
  });

  it("finds nothing stronger", () => {
    expect(messages(summary.findings, "strengthening")).toEqual([]);
  });
});

describe("recorded plan: the whole stack created", () => {
  const summary = summarizePlan(loadFixture("initial"));

  it("is not a weakening, though it creates a role policy and policies with principals", () => {
    expect(summary.weakened).toBe(false);
    expect(summary.counts).toMatchObject({ change: 0, destroy: 0 });
    expect(summary.counts.add).toBe(summary.resources.length);
  });

  it("starts monitoring the default events, and the trail's protections", () => {
    const strengthenings = messages(summary.findings, "strengthening");
    expect(strengthenings).toContainEqual(`Starts alerting on ${DEFAULT_IAM_EVENTS.map((e) => `\`${e}\``).join(", ")} (new rule \`cloudtrail-alerting-iam-events\`).`);
    expect(strengthenings).toContainEqual(expect.stringMatching(/^New trail `[^`]+`: multi-region, global service events, log file validation, logging on\.$/));
    expect(strengthenings).toContainEqual("Subscriber added: `oncall@example.com` (email).");
  });
});

describe("recorded plan: everything destroyed", () => {
  const summary = summarizePlan(loadFixture("destroy"));
  const weakenings = messages(summary.findings, "weakening");

  it("says every event stops being monitored, and the root-activity rule goes", () => {
    expect(weakenings).toContainEqual(expect.stringMatching(new RegExp(`^Stops alerting on ${DEFAULT_IAM_EVENTS.map((e) => `\`${e}\``).join(", ")}: rule \`[^\`]+\` is deleted\\.$`)));
    expect(weakenings).toContainEqual(expect.stringMatching(/^Rule `[^`]+-root-activity` is deleted: it stops alerting \(Any API call/));
  });

  it("says when the last subscriber goes, once", () => {
    expect(weakenings.filter((m) => m.includes("No subscriber remains"))).toHaveLength(1);
  });

  it("names the trail, the dead-letter queues and the TLS-only policies going", () => {
    expect(weakenings).toContainEqual(expect.stringMatching(/^Trail `[^`]+` is deleted/));
    expect(weakenings.filter((m) => /^Queue `[^`]+-dlq` is deleted/.test(m))).toHaveLength(2);
    expect(weakenings).toContainEqual(expect.stringMatching(/^Policy of bucket `[^`]+-logs-[^`]+` is deleted, and with it the statement that refuses requests without TLS\.$/));
  });

  it("does not report a deleted rule's targets separately", () => {
    expect(summary.findings.filter((f) => f.address.startsWith("aws_cloudwatch_event_target."))).toEqual([]);
  });

  it("counts every resource as destroyed", () => {
    expect(summary.counts).toMatchObject({ add: 0, change: 0, destroy: summary.resources.length });
  });
});

describe("recorded plan: deployed and planned again unchanged", () => {
  it("has no findings", () => {
    // The emulator does not echo the function's KMS key, so the function shows an update on moto only.
    expect(summarizePlan(loadFixture("unchanged")).findings).toEqual([]);
  });
});

describe("settings the variables cannot change (variations of recorded resources)", () => {
  it("a trail that stops recording other regions and global events: two weakenings", () => {
    const summary = summaryOf(
      update("aws_cloudtrail", (a) => {
        a.is_multi_region_trail = false;
        a.include_global_service_events = false;
      }),
    );
    expect(messages(summary.findings, "weakening")).toEqual([
      expect.stringMatching(/no longer records every region \(multi-region off\)/),
      expect.stringMatching(/no longer records global service events: IAM calls go unseen/),
    ]);
  });

  it("a trail that stops logging management events is a weakening", () => {
    const summary = summaryOf(update("aws_cloudtrail", (a) => (a.event_selector[0].include_management_events = false)));
    expect(messages(summary.findings, "weakening")).toEqual([expect.stringMatching(/stops recording management \(write\) events/)]);
  });

  it("bucket encryption downgraded from aws:kms to AES256 is a weakening; the reverse a strengthening", () => {
    const setAlgorithm = (algorithm: string) => (attrs: Json) => {
      attrs.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm = algorithm;
      attrs.rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id = "";
    };
    const down = summaryOf(update("aws_s3_bucket_server_side_encryption_configuration", setAlgorithm("AES256"), setAlgorithm("aws:kms")));
    expect(down.findings).toEqual([expect.objectContaining({ kind: "weakening", area: "encryption", message: expect.stringContaining("downgraded from `aws:kms` to `AES256`") })]);
    const up = summaryOf(update("aws_s3_bucket_server_side_encryption_configuration", setAlgorithm("aws:kms"), setAlgorithm("AES256")));
    expect(up.findings).toEqual([expect.objectContaining({ kind: "strengthening", message: expect.stringContaining("upgraded from `AES256` to `aws:kms`") })]);
  });

  it("bucket versioning suspended is a weakening", () => {
    const summary = summaryOf(update("aws_s3_bucket_versioning", (a) => (a.versioning_configuration[0].status = "Suspended")));
    expect(messages(summary.findings, "weakening")).toEqual([expect.stringMatching(/^Versioning of bucket `[^`]+` is suspended/)]);
  });

  it("the function's role gaining a wildcard permission is a weakening that says so; losing one a strengthening", () => {
    const widen = (attrs: Json): void => {
      const doc = JSON.parse(attrs.policy);
      doc.Statement.push({ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" });
      attrs.policy = JSON.stringify(doc);
    };
    const widened = summaryOf(update("aws_iam_role_policy", widen));
    expect(widened.findings).toEqual([
      expect.objectContaining({ kind: "weakening", area: "permissions", message: expect.stringMatching(/^Role `[^`]+` \(inline policy `[^`]+`\) may now `\*` on `\*` \(wildcard\)\.$/) }),
    ]);
    const narrowed = summaryOf(update("aws_iam_role_policy", () => {}, widen));
    expect(narrowed.findings).toEqual([expect.objectContaining({ kind: "strengthening", message: expect.stringContaining("may no longer `*` on `*`") })]);
  });

  it("a managed policy attached to an existing role is a weakening", () => {
    const role = deployed("aws_iam_role_policy");
    const attachment: Json = {
      address: "aws_iam_role_policy_attachment.admin",
      mode: "managed",
      type: "aws_iam_role_policy_attachment",
      name: "admin",
      change: { actions: ["create"], before: null, after: { role: role.change.after.role, policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }, after_unknown: { id: true } },
    };
    expect(messages(summaryOf(attachment).findings, "weakening")).toEqual([
      expect.stringContaining("gains `arn:aws:iam::aws:policy/AdministratorAccess`"),
    ]);
  });

  it("a rule's target losing its dead-letter queue is a weakening", () => {
    const summary = summaryOf(update("aws_cloudwatch_event_target", (a) => (a.dead_letter_config = [])));
    expect(summary.findings).toEqual([expect.objectContaining({ kind: "weakening", area: "dlq", message: expect.stringContaining("loses its dead-letter queue") })]);
  });

  it("the function gaining a dead-letter queue (as on the emulator, which does not echo it) is a strengthening, not a weakening", () => {
    const summary = summaryOf(update("aws_lambda_function", () => {}, (b) => (b.dead_letter_config = [])));
    expect(summary.findings).toEqual([expect.objectContaining({ kind: "strengthening", area: "dlq" })]);
    const lost = summaryOf(update("aws_lambda_function", (a) => (a.dead_letter_config = [])));
    expect(lost.findings).toEqual([expect.objectContaining({ kind: "weakening", area: "dlq" })]);
  });

  it("a disabled rule is a weakening", () => {
    const summary = summaryOf(
      update("aws_cloudwatch_event_rule", (a) => {
        a.state = "DISABLED";
        a.is_enabled = false;
      }),
    );
    expect(messages(summary.findings, "weakening")).toEqual([expect.stringMatching(/^Rule `[^`]+` is disabled: it stops alerting/)]);
  });

  it("an event pattern known only after apply is flagged for review, not reported as events removed", () => {
    const rc = update("aws_cloudwatch_event_rule", (a) => delete a.event_pattern);
    (rc.change as Json).after_unknown = { event_pattern: true };
    const summary = summaryOf(rc);
    expect(summary.findings).toEqual([expect.objectContaining({ kind: "change", message: expect.stringContaining("known only after apply") })]);
  });

  it("an alarm whose actions are disabled is a weakening", () => {
    const summary = summaryOf(update("aws_cloudwatch_metric_alarm", (a) => (a.actions_enabled = false)));
    expect(messages(summary.findings, "weakening")).toEqual([expect.stringContaining("no longer notifies anyone")]);
  });

  it("a KMS key that stops rotating is a weakening", () => {
    const summary = summaryOf(update("aws_kms_key", (a) => (a.enable_key_rotation = false)));
    expect(messages(summary.findings, "weakening")).toEqual([expect.stringContaining("no longer rotates automatically")]);
  });

  it("a recreated subscription for the same address asks for a new confirmation", () => {
    const rc = deployed("aws_sns_topic_subscription");
    rc.change.actions = ["delete", "create"];
    expect(summaryOf(rc).findings).toEqual([expect.objectContaining({ kind: "change", message: expect.stringContaining("must confirm it again") })]);
  });

  it("never prints an endpoint Terraform marks sensitive", () => {
    const rc = deployed("aws_sns_topic_subscription");
    rc.change.actions = ["delete"];
    rc.change.after = null;
    rc.change.before_sensitive = { endpoint: true };
    const [finding] = summaryOf(rc).findings;
    expect(finding.message).toMatch(/^Subscriber removed: a subscriber \(email, address sensitive\)\./);
    // (The address may still carry it, as a for_each key: Terraform prints addresses in the plan too.)
    expect(finding.message).not.toContain(rc.change.before.endpoint);
  });
});

describe("event patterns with content filters read as a reviewer writes them", () => {
  /** A rule of the deployed stack whose eventName filter is replaced (before and after). */
  const ruleWith = (before: unknown[], after: unknown[]): ResourceChange =>
    update(
      "aws_cloudwatch_event_rule",
      (a) => (a.event_pattern = JSON.stringify({ source: ["aws.lambda"], detail: { eventName: after } })),
      (b) => (b.event_pattern = JSON.stringify({ source: ["aws.lambda"], detail: { eventName: before } })),
    );

  it("a prefix filter is shown as `Name*`, not as JSON", () => {
    // CloudTrail records Lambda actions with an API-version suffix (UpdateFunctionCode20150331v2): monitoring-tamper uses prefixes.
    const summary = summaryOf(ruleWith([{ prefix: "UpdateFunctionCode" }, "DeleteFunction"], ["DeleteFunction"]));
    expect(messages(summary.findings, "weakening")).toEqual([expect.stringMatching(/^Stops alerting on `UpdateFunctionCode\*` \(rule /)]);
    expect(renderMarkdown(summary)).not.toContain('{"prefix"');
  });

  it("suffix, wildcard, any-case, anything-but and exists filters each have a readable form", () => {
    const filters = [
      { suffix: "Policy" },
      { wildcard: "Put*Policy" },
      { "equals-ignore-case": "consolelogin" },
      { "anything-but": ["GetObject", "ListBucket"] },
      { "anything-but": { prefix: "Get" } },
      { exists: true },
    ];
    const summary = summaryOf(ruleWith([], filters));
    expect(messages(summary.findings, "strengthening")).toEqual([
      expect.stringContaining(
        "Starts alerting on `*Policy`, `Put*Policy`, `consolelogin (any case)`, `anything but GetObject, ListBucket`, `anything but Get*`, `(any value)`",
      ),
    ]);
  });

  it("a filter it does not know is shown as compact JSON rather than dropped", () => {
    const summary = summaryOf(ruleWith([], [{ numeric: [">", 0] }]));
    expect(messages(summary.findings, "strengthening")).toEqual([expect.stringContaining('`{"numeric":[">",0]}`')]);
  });
});

describe("Markdown", () => {
  const weakened = summarizePlan(loadFixture("weakened"));

  it("puts the weakening banner right under the title", () => {
    const lines = renderMarkdown(weakened).split("\n");
    expect(lines[0]).toBe("## Terraform plan review");
    expect(lines[2]).toBe("> **⚠️ This change weakens monitoring** (3 findings): see *Monitoring impact* below.");
  });

  it("lists weakenings before strengthenings before the rest, then the counts table", () => {
    const md = renderMarkdown(summarizePlan({ ...loadFixture("weakened"), resource_changes: [...(loadFixture("weakened").resource_changes ?? []), ...(loadFixture("added-event").resource_changes ?? []).filter((rc) => rc.type === "aws_cloudwatch_event_rule")] }));
    const order = ["**⚠️ Weakened**", "**✅ Strengthened**", "**ℹ️ Worth a look**", "### Changed resources"].map((s) => md.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("is the same whatever the order of resource_changes", () => {
    const plan = loadFixture("destroy");
    const reversed = { ...plan, resource_changes: [...(plan.resource_changes ?? [])].reverse() };
    expect(renderMarkdown(summarizePlan(reversed))).toBe(renderMarkdown(summarizePlan(plan)));
  });

  it("escapes pipes in table cells", () => {
    const rc = deployed("aws_sns_topic_subscription");
    rc.address = 'aws_sns_topic_subscription.x["a|b"]';
    rc.change.actions = ["delete"];
    rc.change.after = null;
    expect(renderMarkdown(summaryOf(rc))).toContain('| - destroy | `aws_sns_topic_subscription.x["a\\|b"]` |  |');
  });

  it("says when there is nothing to change", () => {
    const plan = loadFixture("unchanged");
    const md = renderMarkdown(summarizePlan({ ...plan, resource_changes: (plan.resource_changes ?? []).filter((rc) => rc.change.actions.join() === "no-op") }));
    expect(md).toContain("**No changes.** The infrastructure matches the configuration.");
    expect(md).not.toContain("weakens");
  });

  it("caps the resource table and counts the rest", () => {
    const md = renderMarkdown(summarizePlan(loadFixture("destroy")), { maxRows: 5 });
    expect(md).toMatch(/\| \| …and \d+ more \| \|/);
  });

  it("shows failed Terraform checks as warnings", () => {
    const plan: PlanJson = {
      format_version: "1.2",
      checks: [
        {
          address: { kind: "check", name: "alert_recipients", to_display: "check.alert_recipients" },
          status: "fail",
          instances: [{ address: { to_display: "check.alert_recipients" }, status: "fail", problems: [{ message: "sns_endpoint is empty" }] }],
        },
      ],
    };
    expect(renderMarkdown(summarizePlan(plan))).toContain("### Warnings from Terraform checks\n\n- check.alert_recipients: sns_endpoint is empty");
  });
});

describe("input that is not a JSON plan", () => {
  it("is rejected with a message that says what is expected", () => {
    expect(() => summarizePlan({} as PlanJson)).toThrow("not a Terraform JSON plan: expected the output of `terraform show -json PLANFILE`");
    expect(() => summarizePlan({ format_version: "2.0" })).toThrow("unsupported JSON plan format_version 2.0");
  });
});
