/**
 * The structured alert for SIEM subscribers: the documented schema
 * (handler/schemas/alert-v1.schema.json) for every record of the corpus, the
 * original event carried whole, and SNS's size limit kept whatever the event.
 */
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readAlertFields } from "../src/core/fields.js";
import { formatAlert, unwrapLabelled } from "../src/core/index.js";
import { STRUCTURED_MAX_BYTES, STRUCTURED_SCHEMA, shortenedCopy, structuredMessage } from "../src/core/structured.js";
import { loadRecord, loadSampleFiles, toEventBridgeEvent } from "./support/samples.js";

const schema = JSON.parse(readFileSync(new URL("../schemas/alert-v1.schema.json", import.meta.url), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** What the notifier publishes to the structured topic for one delivered input. */
function structuredFor(input: unknown) {
  const labelled = unwrapLabelled(input);
  const alert = formatAlert(labelled.event, labelled.context);
  const out = structuredMessage(alert.subject, readAlertFields(labelled.event, labelled.context), labelled.event);
  return { ...out, body: JSON.parse(out.message) as Record<string, any> };
}

const corpus = loadSampleFiles().flatMap(({ file, records }) =>
  records.map((record, i) => ({ name: records.length > 1 ? `${file}#${i}` : file, record })),
);

describe("every CloudTrail record of the corpus", () => {
  it.each(corpus)("$name: a valid v1 structured alert carrying the event unchanged", ({ record }) => {
    const event = toEventBridgeEvent(record);

    const { body, bytes } = structuredFor({ preset: "iam-events", severity: "high", event });

    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(body["event"]).toEqual(event);
    expect(bytes).toBeLessThanOrEqual(STRUCTURED_MAX_BYTES);
  });
});

describe("fields", () => {
  it("has the summary's facts as fields, labels included", () => {
    const event = toEventBridgeEvent(loadRecord("events/organizations/LeaveOrganization__1.json"));

    const { body } = structuredFor({ preset: "account-guardrails", severity: "high", event });

    expect(body).toMatchObject({
      schema: STRUCTURED_SCHEMA,
      kind: "cloudtrail",
      verified: true,
      severity: "high",
      preset: "account-guardrails",
      event_name: "LeaveOrganization",
      event_source: "organizations.amazonaws.com",
      outcome: { result: "failure", error_code: "AccessDenied" },
      actor: { type: "AssumedRole", is_root: false },
      event_shortened: false,
      event_omitted: null,
    });
    expect(body["subject"]).toBe(formatAlert(event, { preset: "account-guardrails", severity: "high" }).subject);
  });

  it("keeps an unrecognised payload, with the reason", () => {
    const { body } = structuredFor({ hello: "world" });

    expect(validate(body)).toBe(true);
    expect(body).toMatchObject({ kind: "unrecognised", actor: null, event: { hello: "world" } });
    expect(body["unrecognised_reason"]).toContain("detail-type");
  });
});

describe("SNS's 256 KiB", () => {
  const base = loadRecord("events/iam/CreateAccessKey__1.json");

  it("cuts long strings of an event that would not fit, and says so", () => {
    const record = structuredClone(base);
    record["requestParameters"] = { policyDocument: "x".repeat(300_000), userName: "bert-jan" };

    const { body, bytes, eventShortened } = structuredFor(toEventBridgeEvent(record));

    expect(bytes).toBeLessThanOrEqual(STRUCTURED_MAX_BYTES);
    expect(eventShortened).toBe(true);
    expect(body["event_shortened"]).toBe(true);
    expect(body["event"].detail.requestParameters.userName).toBe("bert-jan");
    expect(body["event"].detail.requestParameters.policyDocument).toMatch(/…\[300000 chars\]…/);
    expect(validate(body)).toBe(true);
  });

  it("survives nesting deeper than JSON.stringify can write", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    const record = structuredClone(base);
    record["requestParameters"] = { deep };

    const { body, bytes } = structuredFor(toEventBridgeEvent(record));

    expect(bytes).toBeLessThanOrEqual(STRUCTURED_MAX_BYTES);
    expect(validate(body)).toBe(true);
    expect(body["event_id"]).toBe(base.eventID);
  });

  it("leaves the event out, keeping the fields, when even the shortened event does not fit", () => {
    const record = structuredClone(base);
    // 100 keys of 100 strings of 512+ characters: ~5 MB shortened.
    record["requestParameters"] = Object.fromEntries(
      Array.from({ length: 100 }, (_, k) => [`k${k}`, Array.from({ length: 100 }, () => "y".repeat(600))]),
    );

    const { body, bytes, eventOmitted } = structuredFor(toEventBridgeEvent(record));

    expect(eventOmitted).toBe(true);
    expect(bytes).toBeLessThanOrEqual(STRUCTURED_MAX_BYTES);
    expect(body["event"]).toBeNull();
    expect(body["event_omitted"].reason).toContain("find it in CloudTrail by event_id");
    expect(validate(body)).toBe(true);
  });
});

describe("shortenedCopy", () => {
  it("copies __proto__ keys as data, in order", () => {
    const parsed = JSON.parse('{"a":1,"__proto__":{"polluted":true},"b":[1,2]}') as unknown;

    const copy = shortenedCopy(parsed) as Record<string, unknown>;

    expect(JSON.stringify(copy)).toBe('{"a":1,"__proto__":{"polluted":true},"b":[1,2]}');
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
