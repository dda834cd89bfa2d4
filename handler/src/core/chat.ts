/**
 * The alert as an Amazon Q Developer in chat applications (formerly AWS
 * Chatbot) custom notification, for Slack and Microsoft Teams channels.
 *
 * Format and limits, from "Custom notifications using Amazon Q Developer in
 * chat applications"
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html):
 * `{"version": "1.0", "source": "custom", "content": {"textType":
 * "client-markdown", "title", "description", "nextSteps": [...], "keywords":
 * [...]}, "metadata": {"threadId", "summary", "eventType", "relatedResources":
 * [...], "additionalContext": {...}}}`; anything else published to the topic
 * is not rendered as a notification. The title holds at most 250 characters,
 * the description 8,000, each next step 350 and each keyword 75. Custom
 * notifications with the same `threadId` are grouped in one thread (when the
 * channel's preferences allow threads) and `summary` is shown on the thread's
 * top-level message. `client-markdown` is rendered in the chat platform's own
 * Markdown.
 *
 * Everything from the event is untrusted: an IAM user name, a role session
 * name, a SAML subject, a user agent or an error message can hold Markdown,
 * Slack control sequences (`<!channel>`, `<!here>`, `<@U123>`,
 * `<https://evil|click>`), Markdown links (`[x](http://evil)`), mentions
 * (`@channel`), code fences, control, bidi and zero-width characters. Values
 * are shown inside inline code spans (no formatting, link or mention is
 * parsed there by Slack or Teams) and, since a span can be closed by a
 * backtick and Slack parses `<...>` control sequences before formatting, the
 * characters that could escape or act are replaced by look-alikes that do
 * nothing (see `CODE_SAFE`); invisible characters are shown as escapes
 * (`\u202e`); domain-like names and URLs are defanged (`evil[.]example`,
 * `http[:]//`) so no client turns them into links. Text outside spans (the
 * title, keywords, the thread summary) gets the wider replacement set of
 * `TEXT_SAFE`. Lookalikes rather than HTML entities: Slack documents
 * `&lt;`-escaping for its own API, but what Chatbot passes to Teams is not
 * documented, and a look-alike is inert on every platform.
 */
import { createHash } from "node:crypto";
import { code, inert } from "./chat-text.js";
import { bounded, consoleLink, type AlertFields } from "./fields.js";

/** Documented limits of a custom notification (see the file comment). */
export const CUSTOM_NOTIFICATION_LIMITS = {
  titleChars: 250,
  descriptionChars: 8_000,
  nextStepChars: 350,
  keywordChars: 75,
} as const;

/**
 * Our own cap on the description, well under the documented 8,000: a chat
 * message is read at a glance, and a big event (a 100 KB policy document)
 * must never flood a channel. The full event is in the email and the SIEM
 * alert, and in CloudTrail (the link in next steps).
 */
export const CHAT_DESCRIPTION_MAX_CHARS = 3_000;

/** Repeats of the same call by the same principal in the same account within this window share a thread. */
export const THREAD_WINDOW_MINUTES = 15;

/** What `metadata.eventType` says for every notification of this project. */
export const CHAT_EVENT_TYPE = "CloudTrailAlert";

export interface CustomNotification {
  readonly version: "1.0";
  readonly source: "custom";
  readonly content: {
    readonly textType: "client-markdown";
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/**
 * The custom notification for one alert: `subject` is the alert's subject
 * (the email's, so both say the same), `fields` its facts (`readAlertFields`).
 */
export function chatNotification(subject: string, fields: AlertFields): CustomNotification {
  return {
    version: "1.0",
    source: "custom",
    content: {
      textType: "client-markdown",
      title: inert(subject, CUSTOM_NOTIFICATION_LIMITS.titleChars),
      description: fitDescription(fields.kind === "cloudtrail" ? cloudTrailLines(fields) : unrecognisedLines(fields)),
      nextSteps: nextSteps(fields),
      keywords: keywords(fields),
    },
    metadata: {
      threadId: threadId(fields),
      summary: threadSummary(fields),
      eventType: CHAT_EVENT_TYPE,
      relatedResources: relatedResources(fields),
      additionalContext: additionalContext(fields),
    },
  };
}

/** The SNS message body: the notification as JSON. */
export function chatMessage(subject: string, fields: AlertFields): string {
  return JSON.stringify(chatNotification(subject, fields));
}

// ------------------------------------------------------------------ description

function cloudTrailLines(f: AlertFields): string[] {
  const actor = f.actor;
  const lines: string[] = [...markerLines(f)];
  const service = f.eventSource?.replace(/\.amazonaws\.com$/, "") ?? "unknown-service";
  const who = actor === undefined ? code("unknown", 20) : `${code(actor.name, 120)} (${inert(actor.type, 40)})`;
  lines.push(`*Who:* ${who}${actor !== undefined ? ` · MFA ${actor.mfa}` : ""}`);
  if (actor?.arn !== undefined) lines.push(`*Principal ARN:* ${code(actor.arn, 200)}`);
  if (actor?.roleArn !== undefined || actor?.roleName !== undefined) {
    const sso = actor.ssoPermissionSet !== undefined ? ` (IAM Identity Center permission set ${code(actor.ssoPermissionSet, 80)})` : "";
    lines.push(`*Role:* ${code(actor.roleArn ?? actor.roleName ?? "", 200)}${sso}`);
  }
  lines.push(`*What:* ${code(`${service}:${f.eventName ?? "UnknownEvent"}`, 120)}`);
  lines.push(`*Target:* ${targetText(f)}`);
  lines.push(`*Where:* account ${code(f.account ?? "not recorded", 40)}, region ${code(f.region ?? "not recorded", 40)}`);
  lines.push(`*Outcome:* ${outcomeText(f)}`);
  lines.push(`*When (UTC):* ${code(f.eventTime ?? "not recorded", 40)}`);
  lines.push(`*From:* IP ${code(f.sourceIp ?? "not recorded", 80)} · user agent ${code(f.userAgent ?? "not recorded", 160)}`);
  if (f.severity !== undefined || f.preset !== undefined) lines.push(`*Severity:* ${severityText(f)}`);
  lines.push(`*Event ID:* ${code(f.eventId ?? "not recorded", 80)}`);
  return lines;
}

function unrecognisedLines(f: AlertFields): string[] {
  return [
    ...markerLines(f),
    "❓ *UNRECOGNISED EVENT*: the notifier received an event it cannot read as a CloudTrail event. It is alerted anyway so that nothing is lost.",
    `*Reason:* ${code(f.reason ?? "not recorded", 300)}`,
    `*Source:* ${code(f.source ?? "not recorded", 80)} · detail-type ${code(f.detailType ?? "not recorded", 80)}`,
    `*Where:* account ${code(f.account ?? "not recorded", 40)}, region ${code(f.region ?? "not recorded", 40)}`,
    `*EventBridge id:* ${code(f.eventBridgeId ?? "not recorded", 80)}`,
    ...(f.severity !== undefined || f.preset !== undefined ? [`*Severity:* ${severityText(f)}`] : []),
  ];
}

/** The markers a reader must see first: not from AWS, root, failed. */
function markerLines(f: AlertFields): string[] {
  const lines: string[] = [];
  if (!f.verified) {
    lines.push(
      `⚠️ *UNVERIFIED*: this event was not emitted by an AWS service (source ${code(f.source ?? "not recorded", 60)}). ` +
        "Anyone allowed events:PutEvents on the bus can send one: find it in CloudTrail before acting on it.",
    );
  }
  if (f.actor?.isRoot === true) lines.push("🚨 *ROOT USER ACTIVITY*: the account's root user made this request.");
  if (f.failed) lines.push(`❌ *FAILED*: ${code(f.errorCode ?? "the request did not succeed", 120)}`);
  return lines;
}

function targetText(f: AlertFields): string {
  if (f.targets.length === 0) return "not recorded";
  return f.targets.map((t) => `${targetKey(t.key)} ${code(t.value, 160)}`).join(", ");
}

/** Target keys are the core's own names (`userName`, `accessKey.accessKeyId (created)`): shown as they are when they look like one. */
function targetKey(key: string): string {
  return /^[A-Za-z][A-Za-z.() ]{0,59}$/.test(key) ? key : inert(key, 60);
}

function outcomeText(f: AlertFields): string {
  if (!f.failed) return "succeeded";
  const parts = [
    f.errorCode !== undefined ? code(f.errorCode, 120) : undefined,
    f.errorMessage !== undefined ? code(f.errorMessage, 300) : undefined,
  ];
  const detail = parts.filter((p): p is string => p !== undefined).join(" ");
  return `*FAILED*${detail !== "" ? ` ${detail}` : " (no error code recorded)"}`;
}

function severityText(f: AlertFields): string {
  const severity = f.severity !== undefined ? `*${f.severity.toUpperCase()}*` : "not set";
  return f.preset !== undefined ? `${severity} · preset ${code(f.preset, 60)}` : severity;
}

/** Lines joined, cut at a line boundary if the whole would pass our cap (it cannot with the per-value limits above). */
function fitDescription(lines: string[]): string {
  const text = lines.join("\n");
  if (text.length <= CHAT_DESCRIPTION_MAX_CHARS) return text;
  const note = "\n… (shortened: see the email or CloudTrail for the rest)";
  const cut = text.slice(0, CHAT_DESCRIPTION_MAX_CHARS - note.length);
  const end = cut.lastIndexOf("\n");
  return (end > 0 ? cut.slice(0, end) : cut) + note;
}

// ------------------------------------------------------------------ next steps, keywords, metadata

function nextSteps(f: AlertFields): string[] {
  const steps: string[] = [];
  if (f.kind === "cloudtrail") {
    // A long (forged) event id would push the link past the step's limit, and a cut link is broken: link the event list instead.
    const prefix = "Open the event in CloudTrail: ";
    const withId = consoleLink(f.region, f.eventId);
    const fits = prefix.length + withId.length <= CUSTOM_NOTIFICATION_LIMITS.nextStepChars;
    steps.push(prefix + (fits ? withId : consoleLink(f.region, undefined)));
  }
  if (!f.verified) steps.push("Check that CloudTrail recorded this event (search by its event ID) before acting: it may be forged.");
  if (f.kind === "unrecognised")
    steps.push("Check the EventBridge rule or whoever invoked the notifier; the raw payload is in the email alert.");
  if (f.actor?.isRoot === true) {
    steps.push("Confirm with the account owner that the root user was used on purpose; if not, secure the root credentials now.");
  } else if (f.failed) {
    steps.push("Repeated failures can be probing: look for other calls by the same principal around this time.");
  } else if (f.kind === "cloudtrail") {
    steps.push("If nobody expected this call, disable the credentials involved and review the principal's recent activity.");
  }
  return steps.map((s) => bounded(s, CUSTOM_NOTIFICATION_LIMITS.nextStepChars) ?? "");
}

/** Severity, preset and account, as the issue asks: each a tag in the chat client. */
function keywords(f: AlertFields): string[] {
  const words = [f.severity?.toUpperCase(), f.preset, f.account];
  return words.filter((w): w is string => w !== undefined && w !== "").map((w) => inert(w, CUSTOM_NOTIFICATION_LIMITS.keywordChars));
}

/**
 * Groups a burst: the same action (event name) by the same principal (ARN,
 * else principal id, else name) in the same account within a
 * THREAD_WINDOW_MINUTES bucket of the event time. A burst that straddles a
 * bucket boundary opens a second thread; an event without a readable time is
 * a thread of its own. Hashed, so no user data reaches the metadata.
 */
export function threadId(f: AlertFields): string {
  const time = f.eventTime !== undefined ? Date.parse(f.eventTime) : Number.NaN;
  const bucket = Number.isNaN(time)
    ? `event:${f.eventId ?? f.eventBridgeId ?? "none"}`
    : String(Math.floor(time / (THREAD_WINDOW_MINUTES * 60_000)));
  const who = f.actor?.arn ?? f.actor?.principalId ?? f.actor?.name ?? f.source ?? "";
  const key = [f.kind, who, f.eventName ?? "", f.account ?? "", bucket].join("\n");
  return `cta-${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}

function threadSummary(f: AlertFields): string {
  const what = f.kind === "cloudtrail" ? (f.eventName ?? "UnknownEvent") : "Unrecognised event";
  const who = f.actor !== undefined ? ` by ${f.actor.name}` : "";
  const where = f.account !== undefined ? ` in ${f.account}` : "";
  const text = `${f.verified ? "" : "[UNVERIFIED] "}${what}${who}${where}: repeats within ${THREAD_WINDOW_MINUTES} minutes are grouped here`;
  return inert(text, 250);
}

function relatedResources(f: AlertFields): string[] {
  const arns = [f.actor?.arn, ...f.targets.map((t) => t.value)].filter((v): v is string => v?.startsWith("arn:") === true);
  return [...new Set(arns)].slice(0, 5).map((arn) => inert(arn, 256));
}

function additionalContext(f: AlertFields): Record<string, string> {
  const context: Record<string, string | undefined> = {
    eventId: f.eventId,
    eventName: f.eventName,
    account: f.account,
    region: f.region,
    eventTime: f.eventTime,
    severity: f.severity,
    preset: f.preset,
    verified: String(f.verified),
  };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) if (value !== undefined && value !== "") out[key] = inert(value, 256);
  return out;
}
