/**
 * The pure core against every record of the repository's sample corpus (__tests__/fixtures/cloudtrail), each wrapped
 * in the EventBridge envelope AWS delivers. The SNS rules are asserted here
 * with independent checks (not the core's own validator), because moto accepts
 * subjects SNS rejects and counts message size in characters, not bytes.
 */
import { describe, expect, it } from "vitest";
import { formatAlert } from "../src/core/index.js";
import { loadSampleFiles, toEventBridgeEvent, type CloudTrailRecord } from "./support/samples.js";

const SNS_LIMIT_BYTES = 262_144;

/** What a reader sees of a domain-like value: `example[.]com`, `a[@]b` (written independently of the core). */
const defanged = (text: string): string => text.replace(/[.](?=\p{L})/gu, "[.]").replace(/(?<=\S)@(?=\S)/gu, "[@]");
const JSON_HEADING = "----- Full CloudTrail event (JSON) -----";

const files = loadSampleFiles();

/** Problems with one alert, as readable strings; empty when it meets the spec. */
function problems(record: CloudTrailRecord, index: number): string[] {
  const alert = formatAlert(toEventBridgeEvent(record, index));
  const found: string[] = [];
  const { subject, message, attributes } = alert;

  // Subject: < 100 chars, printable ASCII, starts with a letter, digit or punctuation.
  if (subject.length >= 100) found.push(`subject is ${subject.length} chars`);
  if (!/^[\x20-\x7e]+$/.test(subject)) found.push(`subject has non-printable-ASCII characters: ${JSON.stringify(subject)}`);
  if (!/^[A-Za-z0-9!-/:-@[-`{-~]/.test(subject)) found.push(`subject starts badly: ${JSON.stringify(subject)}`);
  if (record.eventName !== undefined && !subject.includes(record.eventName)) found.push("subject lacks the event name");

  // Summary (before the JSON) names the actor, the event, the time and the event id.
  const split = message.indexOf(JSON_HEADING);
  if (split < 0) return [...found, "message has no JSON section"];
  const summary = message.slice(0, split);
  const identity = record.userIdentity ?? {};
  const actor = [identity["arn"], identity["userName"], identity["invokedBy"], identity["type"]].find(
    (v): v is string => typeof v === "string" && v.length > 0,
  );
  if (actor !== undefined && !summary.includes(defanged(actor))) found.push(`summary lacks the actor ${actor}`);
  if (!summary.includes("Actor:")) found.push("summary has no Actor line");
  if (record.eventName !== undefined && !summary.includes(record.eventName)) found.push("summary lacks the event name");
  if (record.eventTime !== undefined && !summary.includes(record.eventTime)) found.push("summary lacks the event time");
  const eventIdLine = record.eventID !== undefined ? `Event ID:     ${record.eventID}` : "Event ID:     (not recorded)";
  if (!summary.includes(eventIdLine)) found.push(`summary lacks "${eventIdLine}"`);

  // Root activity and failures are marked.
  if (identity["type"] === "Root") {
    if (!subject.startsWith("[ROOT] ")) found.push("root activity without [ROOT] in the subject");
    if (!summary.includes("ROOT USER ACTIVITY")) found.push("root activity not marked in the message");
  }
  if (typeof record.errorCode === "string" && record.errorCode !== "") {
    // The code may be shortened ("ObjectLockConfigurat...") when the subject is long, never dropped.
    const shown = / FAILED (\S+)/.exec(subject)?.[1]?.replace(/\.\.\.$/, "");
    if (shown === undefined || !defanged(record.errorCode).startsWith(shown) || shown.length < 9) {
      found.push(`failed call without "FAILED ${record.errorCode}" in the subject: ${subject}`);
    }
    if (attributes["is_error"] !== "true") found.push("failed call with is_error != true");
  }

  // Size in UTF-8 bytes, message plus attributes (names, "String", values).
  let bytes = Buffer.byteLength(message, "utf8");
  for (const [name, value] of Object.entries(attributes)) {
    if (value === "") found.push(`empty attribute ${name}`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength("String") + Buffer.byteLength(value);
  }
  if (bytes > SNS_LIMIT_BYTES) found.push(`publish would be ${bytes} bytes`);

  // Filter-policy attributes.
  if (attributes["event_name"] !== record.eventName) found.push(`event_name attribute is ${attributes["event_name"]}`);
  if (attributes["event_source"] !== record.eventSource) found.push(`event_source attribute is ${attributes["event_source"]}`);
  if (attributes["is_root"] !== String(identity["type"] === "Root")) found.push(`is_root attribute is ${attributes["is_root"]}`);
  if (attributes["account_id"] === undefined) found.push("no account_id attribute");

  return found;
}

describe("every sample record becomes a valid, complete alert", () => {
  it("finds the whole corpus", () => {
    const events = files.filter((f) => f.file.startsWith("events/"));
    const logRecords = files.filter((f) => f.file.startsWith("logs/")).reduce((n, f) => n + f.records.length, 0);
    expect(events).toHaveLength(192);
    expect(logRecords).toBeGreaterThan(2_500);
  });

  it.each(files.map((f) => [f.file, f] as const))("%s", (_name, file) => {
    const failures = file.records.flatMap((record, i) => problems(record, i).map((p) => `record ${i}: ${p}`));
    expect(failures).toEqual([]);
  });
});
