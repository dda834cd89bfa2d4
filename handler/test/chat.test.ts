/**
 * The chat notification (Amazon Q Developer in chat applications custom
 * notification) for every CloudTrail record of the corpus: valid against a
 * JSON Schema written from the documentation, within its limits, and inert
 * whatever the names in the event hold.
 */
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CHAT_DESCRIPTION_MAX_CHARS,
  CUSTOM_NOTIFICATION_LIMITS,
  THREAD_WINDOW_MINUTES,
  chatMessage,
  chatNotification,
  threadId,
  type CustomNotification,
} from "../src/core/chat.js";
import { readAlertFields } from "../src/core/fields.js";
import { formatAlert, unwrapLabelled, type AlertContext } from "../src/core/index.js";
import { loadRecord, loadSampleFiles, toEventBridgeEvent, type CloudTrailRecord } from "./support/samples.js";

const schema = JSON.parse(readFileSync(new URL("./support/custom-notification.schema.json", import.meta.url), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** What the notifier publishes to the chat topic for one delivered input. */
function notificationFor(input: unknown, context: AlertContext = {}): { notification: CustomNotification; message: string } {
  const labelled = unwrapLabelled(input);
  const labels = { ...context, ...labelled.context };
  const alert = formatAlert(labelled.event, labels);
  const fields = readAlertFields(labelled.event, labels);
  return { notification: chatNotification(alert.subject, fields), message: chatMessage(alert.subject, fields) };
}

const corpus = loadSampleFiles().flatMap(({ file, records }) =>
  records.map((record, i) => ({ name: records.length > 1 ? `${file}#${i}` : file, record })),
);

describe("every CloudTrail record of the corpus", () => {
  it("has records to check", () => {
    expect(corpus.length).toBeGreaterThan(100);
  });

  it.each(corpus)("$name: a valid custom notification within the documented limits", ({ record }) => {
    const { notification, message } = notificationFor({ preset: "iam-events", severity: "high", event: toEventBridgeEvent(record) });

    expect(validate(JSON.parse(message)), JSON.stringify(validate.errors)).toBe(true);
    expect(notification.content.title.length).toBeLessThanOrEqual(CUSTOM_NOTIFICATION_LIMITS.titleChars);
    expect(notification.content.description.length).toBeLessThanOrEqual(CHAT_DESCRIPTION_MAX_CHARS);
    for (const step of notification.content.nextSteps) expect(step.length).toBeLessThanOrEqual(CUSTOM_NOTIFICATION_LIMITS.nextStepChars);
    for (const keyword of notification.content.keywords)
      expect(keyword.length).toBeLessThanOrEqual(CUSTOM_NOTIFICATION_LIMITS.keywordChars);
  });
});

describe("what a person acts on", () => {
  const createAccessKey = toEventBridgeEvent(loadRecord("events/iam/CreateAccessKey__1.json"));

  it("says who, what, the target, where (account and region), the outcome, severity and preset", () => {
    const { description } = notificationFor(createAccessKey, { severity: "high", preset: "iam-persistence" }).notification.content;

    expect(description).toContain("*Who:* `bert-jan` (IAMUser)");
    expect(description).toContain("*What:* `iam:CreateAccessKey`");
    expect(description).toContain("*Target:* userName `stratus-red-team-backdoor-u-user`");
    expect(description).toContain("*Where:* account `123837392027`, region `us-east-1`");
    expect(description).toContain("*Outcome:* succeeded");
    expect(description).toContain("*Severity:* *HIGH* · preset `iam-persistence`");
  });

  it("uses the email's subject as the title, and severity, preset and account as keywords", () => {
    const { content } = notificationFor(createAccessKey, { severity: "high", preset: "iam-persistence" }).notification;

    expect(content.title).toBe("[HIGH] CreateAccessKey by user/bert-jan in 123837392027 us-east-1");
    expect(content.keywords).toEqual(["HIGH", "iam-persistence", "123837392027"]);
  });

  it("links the event in the CloudTrail console as the first next step", () => {
    const { nextSteps } = notificationFor(createAccessKey).notification.content;

    expect(nextSteps[0]).toBe(
      "Open the event in CloudTrail: https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/64b7de64-bf53-47ae-b7e3-d30cb1b5136e",
    );
  });

  it("puts the root and failure markers first", () => {
    const rootSignIn = notificationFor(toEventBridgeEvent(loadRecord("events/signin/ConsoleLogin__5.json"))).notification;
    const denied = notificationFor(toEventBridgeEvent(loadRecord("events/organizations/LeaveOrganization__1.json"))).notification;

    expect(rootSignIn.content.description.split("\n")[0]).toMatch(/^🚨 \*ROOT USER ACTIVITY\*/);
    expect(denied.content.description.split("\n")[0]).toBe("❌ *FAILED*: `AccessDenied`");
    expect(denied.content.description).toContain("*Outcome:* *FAILED* `AccessDenied`");
  });

  it("marks an event whose source is not aws.* as unverified, first", () => {
    const forged = { ...createAccessKey, source: "custom.forger" };

    const { content, metadata } = notificationFor(forged).notification;

    expect(content.description.split("\n")[0]).toMatch(
      /^⚠️ \*UNVERIFIED\*: this event was not emitted by an AWS service \(source `custom\[\.\]forger`\)/,
    );
    expect(metadata.summary.startsWith("[UNVERIFIED]")).toBe(true);
    expect(metadata.additionalContext["verified"]).toBe("false");
  });

  it("turns an unrecognised payload into a notification too, so nothing is lost", () => {
    const { notification, message } = notificationFor({ hello: "world" });

    expect(validate(JSON.parse(message))).toBe(true);
    expect(notification.content.description).toContain("*UNRECOGNISED EVENT*");
  });
});

describe("threads", () => {
  const base = loadRecord("events/iam/CreateAccessKey__1.json");
  const at = (time: string, change: (r: CloudTrailRecord) => void = () => undefined): string => {
    const record = structuredClone(base);
    record.eventTime = time;
    change(record);
    return threadId(readAlertFields(toEventBridgeEvent(record)));
  };

  it("groups repeats of the same call by the same principal in the same account within the window", () => {
    expect(at("2023-07-10T12:00:00Z")).toBe(at(`2023-07-10T12:${String(THREAD_WINDOW_MINUTES - 1).padStart(2, "0")}:59Z`));
  });

  it("opens a new thread for another principal, another call, another account or a later window", () => {
    const first = at("2023-07-10T12:00:00Z");
    expect(
      at("2023-07-10T12:00:00Z", (r) => (r.userIdentity = { ...r.userIdentity, arn: "arn:aws:iam::123837392027:user/other" })),
    ).not.toBe(first);
    expect(at("2023-07-10T12:00:00Z", (r) => (r.eventName = "DeleteAccessKey"))).not.toBe(first);
    expect(at("2023-07-10T12:00:00Z", (r) => (r.recipientAccountId = "111122223333"))).not.toBe(first);
    expect(at(`2023-07-10T12:${THREAD_WINDOW_MINUTES}:00Z`)).not.toBe(first);
  });

  it("carries no user data in the thread id", () => {
    expect(at("2023-07-10T12:00:00Z")).toMatch(/^cta-[0-9a-f]{32}$/);
  });
});

describe("names from the event cannot inject formatting, links or mentions", () => {
  const INJECTIONS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U024BE7LH>",
    "<#C024BE7LR>",
    "<!subteam^SAZ94GDB8>",
    "<https://evil.example|click here>",
    "@channel",
    "@here",
    "[click](http://evil.example/x)",
    "![img](https://evil.example/p.png)",
    "*bold* _italic_ ~strike~",
    "`code` ```fence```",
    "# Heading",
    "> quote",
    "line1\nOutcome: success\r\n*Who:* root",
    "\u202eTOOR\u202c",
    "zero\u200bwidth\u2060joiner\ufeff",
    "security@aws-alerts.example",
    "https://signin.aws.amazon.com.evil.example/",
    "&lt;!channel&gt;",
    "\u0007bell\u001b[31mred",
    "\ud800lone surrogate",
  ];

  /** A CreateAccessKey whose every user-controlled name is the payload. */
  function injected(payload: string): CustomNotification {
    const record = structuredClone(loadRecord("events/iam/CreateAccessKey__1.json"));
    record.userIdentity = { ...record.userIdentity, userName: payload, arn: `arn:aws:iam::123837392027:user/${payload}` };
    record["requestParameters"] = { userName: payload };
    record["userAgent"] = payload;
    record["sourceIPAddress"] = payload;
    record.errorCode = payload;
    record["errorMessage"] = payload;
    return notificationFor({ preset: payload, severity: "high", event: toEventBridgeEvent(record) }).notification;
  }

  /** The description with every inline code span taken out: what the client formats. */
  const outsideSpans = (text: string): string => text.replace(/`[^`\n]*`/g, "");
  const spans = (text: string): string[] => text.match(/`[^`\n]*`/g) ?? [];

  it.each(INJECTIONS)("%j", (payload) => {
    const n = injected(payload);
    const { description } = n.content;
    const plain = [n.content.title, ...n.content.keywords, n.metadata.summary, ...Object.values(n.metadata.additionalContext)];

    // Values sit in code spans, which nothing inside can close: every backtick pairs up on its line.
    for (const line of description.split("\n")) expect((line.match(/`/g) ?? []).length % 2, line).toBe(0);
    // Outside and inside spans: no Slack control sequence, mention, Markdown link, raw URL or invisible character.
    for (const text of [description, ...n.content.nextSteps.slice(1), ...plain]) {
      expect(text).not.toMatch(/<[!@#]|<https?:|<[a-z]+:\/\//i);
      expect(text).not.toMatch(/(^|[^＠\w])@(channel|here|everyone)\b/);
      expect(text).not.toMatch(/\]\(/);
      expect(text).not.toMatch(/https?:\/\/(?!\w+\.console\.aws\.amazon\.com\/)/);
      expect(text.replace(/\n/g, "")).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      expect(text).not.toMatch(/[\ud800-\udfff](?![\udc00-\udfff])/);
    }
    // Outside spans, our own formatting only: labels (*Who:*) and markers; no emphasis from the payload.
    const ours = outsideSpans(description).replace(
      /\*(Who|Principal ARN|What|Target|Where|Outcome|When \(UTC\)|From|Severity|Event ID|Role|FAILED|HIGH|ROOT USER ACTIVITY|UNVERIFIED):?\*:?/g,
      "",
    );
    expect(ours).not.toMatch(/[*_~`]/);
    // Text outside spans (title, keywords, summary) has no Markdown marker at all.
    for (const text of plain) expect(text).not.toMatch(/[*_~`<>]/);
    // And the payload is still there for a reader, made visible.
    expect(spans(description).length).toBeGreaterThan(3);
  });

  it("shows hidden characters as escapes instead of obeying them", () => {
    const { description } = injected("\u202eTOOR\u202c\nOutcome: success").content;

    expect(description).toContain("\\u202eTOOR\\u202c\\nOutcome: success");
  });

  it("keeps a huge name to a bounded, readable size with both ends, in bounded time", () => {
    const huge = `start-${"x".repeat(300_000)}-end`;
    const record = structuredClone(loadRecord("events/iam/CreateAccessKey__1.json"));
    record.userIdentity = { ...record.userIdentity, userName: huge, arn: `arn:aws:iam::123837392027:user/${huge}` };
    record["userAgent"] = huge;
    const event = toEventBridgeEvent(record);
    const started = performance.now();

    chatNotification("subject", readAlertFields(event));

    // Generous for a loaded CI machine; linear work on 600 KB of names takes a few milliseconds.
    expect(performance.now() - started).toBeLessThan(100);
    const { content } = injected(huge);
    expect(content.description.length).toBeLessThanOrEqual(CHAT_DESCRIPTION_MAX_CHARS);
    expect(content.description).toMatch(/`start-x+…\[300010 chars\]…x+-end`/);
  });
});
