/**
 * Edge cases named in the issue, on the pure core. Real records are varied
 * with structuredClone so each test states only what it changes.
 */
import { describe, expect, it } from "vitest";
import {
  cloudTrailConsoleUrl,
  formatAlert,
  isValidSnsSubject,
  SNS_MAX_MESSAGE_BYTES,
  UNRECOGNISED_SUBJECT,
  type Alert,
} from "../src/core/index.js";
import { loadRecord, toEventBridgeEvent, type CloudTrailRecord } from "./support/samples.js";

const createUser = loadRecord("events/iam/CreateUser__1.json");
const rootConsoleLogin = loadRecord("events/signin/ConsoleLogin__5.json");
const failedConsoleLogin = loadRecord("events/signin/ConsoleLogin__12.json");
const accessDenied = loadRecord("events/sts/AssumeRole__2.json");

function alertFor(record: CloudTrailRecord): Alert {
  return formatAlert(toEventBridgeEvent(record));
}

function summaryOf(alert: Alert): string {
  return alert.message.split("\n----- ")[0] ?? "";
}

/** What SNS counts: message plus every attribute's name, data type and value, in UTF-8 bytes. */
function billedBytes(alert: Alert): number {
  return Object.entries(alert.attributes).reduce(
    (n, [name, value]) => n + Buffer.byteLength(name) + Buffer.byteLength("String") + Buffer.byteLength(value),
    Buffer.byteLength(alert.message, "utf8"),
  );
}

function withUserName(userName: string): CloudTrailRecord {
  const record = structuredClone(createUser);
  record.userIdentity = { ...record.userIdentity, userName, arn: `arn:aws:iam::123456789012:user/${userName}` };
  return record;
}

describe("subject rules", () => {
  it("rejects what SNS rejects", () => {
    expect(isValidSnsSubject("CreateUser by alice in 123456789012")).toBe(true);
    expect(isValidSnsSubject("")).toBe(false);
    expect(isValidSnsSubject("x".repeat(100))).toBe(false);
    expect(isValidSnsSubject("x".repeat(99))).toBe(true);
    expect(isValidSnsSubject(" leading space")).toBe(false);
    expect(isValidSnsSubject("line\nbreak")).toBe(false);
    expect(isValidSnsSubject("bell\u0007")).toBe(false);
    expect(isValidSnsSubject("Jos\u00e9")).toBe(false);
  });

  it("transliterates accents and replaces other unicode in user names", () => {
    const alert = alertFor(withUserName("Jos\u00e9-M\u00fcller-\u540d\u524d"));

    expect(isValidSnsSubject(alert.subject)).toBe(true);
    expect(alert.subject).toContain("by user/Jose-Muller-? in ");
  });

  it("writes a user name as one word: line breaks and spaces as _, bidi controls as ?, addresses defanged", () => {
    const alert = alertFor(withUserName("eve\r\nBcc: attacker@example.com\u0007\u202e"));

    expect(isValidSnsSubject(alert.subject)).toBe(true);
    expect(alert.subject).toContain("by user/eve_Bcc:_attacker[@]example[.]com_? in ");
  });

  it("escapes control and bidi characters in the summary instead of obeying them", () => {
    const record = structuredClone(createUser);
    record["userAgent"] = "curl\nOutcome:      success\u202e";

    const summary = summaryOf(alertFor(record));

    expect(summary).toContain("User agent:   curl\\nOutcome:      success\\u202e");
    expect(summary.split("\n").filter((l) => l.startsWith("Outcome:"))).toHaveLength(1);
  });

  it("keeps unicode in the message body, which is UTF-8", () => {
    const alert = alertFor(withUserName("Jos\u00e9"));

    expect(summaryOf(alert)).toContain('Actor:        IAMUser "Jos\u00e9"');
  });

  it("squeezes a very long user name in the middle but keeps the account and the failure", () => {
    const record = withUserName(`${"a".repeat(32)}${"z".repeat(32)}`);
    record.errorCode = "AccessDenied";

    const alert = alertFor(record);

    expect(alert.subject.length).toBeLessThan(100);
    expect(alert.subject).toMatch(/^CreateUser by user\/a+\.\.\.z+ in 123837392027 us-east-1 FAILED AccessDenied$/);
  });

  it("falls back to a fixed subject rather than an invalid one", () => {
    const record = structuredClone(createUser);
    record.eventName = "\u0000\u0001";

    expect(isValidSnsSubject(alertFor(record).subject)).toBe(true);
  });
});

describe("size limit (256 KiB in UTF-8 bytes, message plus attributes)", () => {
  it("shortens a 300 KB requestParameters but keeps the summary and says how to find the record", () => {
    const record = structuredClone(createUser);
    record["requestParameters"] = { userName: "bob", policyDocument: "x".repeat(300 * 1024) };

    const alert = alertFor(record);

    expect(billedBytes(alert)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(alert.meta.shortened).toBe(true);
    expect(alert.message).toContain("SHORTENED");
    expect(alert.message).toContain(`by event ID ${createUser.eventID}`);
    expect(summaryOf(alert)).toContain("Target:       userName=bob");
    // Long strings are cut first, so the JSON part is still valid JSON.
    const json = alert.message.slice(alert.message.indexOf("\n{") + 1);
    expect(JSON.parse(json).requestParameters.userName).toBe("bob");
  });

  it("cuts the JSON text when many small fields exceed the limit", () => {
    const record = structuredClone(createUser);
    record["requestParameters"] = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key${i}`, `value-${i}`]));

    const alert = alertFor(record);

    expect(billedBytes(alert)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(alert.message).toContain("[cut here: the rest of the JSON did not fit]");
  });

  it("counts bytes, not characters: 200,000 three-byte characters must be shortened", () => {
    // 200,000 chars is under 262,144 *characters* (what moto checks) but 600,000 bytes.
    const record = structuredClone(createUser);
    record["requestParameters"] = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, "\u20ac".repeat(1_000)]));

    const alert = alertFor(record);

    expect(alert.meta.shortened).toBe(true);
    expect(billedBytes(alert)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(alert.message).not.toContain("\ufffd"); // no character split in half
  });

  it("leaves an event that fits untouched", () => {
    const alert = alertFor(createUser);

    expect(alert.meta.shortened).toBe(false);
    expect(alert.message).toContain(JSON.stringify(createUser, null, 2));
  });
});

describe("actors", () => {
  it("survives a userIdentity with no fields", () => {
    const record = structuredClone(createUser);
    record.userIdentity = {};

    const alert = alertFor(record);

    expect(alert.subject).toBe("CreateUser by unknown/unknown in 123837392027 us-east-1");
    expect(summaryOf(alert)).toContain('Actor:        Unknown "unknown"');
    expect(alert.attributes["actor_type"]).toBe("Unknown");
  });

  it("survives a record with no userIdentity, eventID or eventTime", () => {
    const record = structuredClone(createUser);
    delete record.userIdentity;
    delete record.eventID;
    delete record.eventTime;

    const summary = summaryOf(formatAlert({ ...toEventBridgeEvent(record), time: undefined }));

    expect(summary).toContain("Event ID:     (not recorded); the record has no eventID");
    expect(summary).toContain("Time (UTC):   (not recorded)");
    expect(summary).toContain("#/events\n"); // link to Event history without an id
  });

  it("names the person and the permission set behind an IAM Identity Center (SSO) session", () => {
    const role = "AWSReservedSSO_AdministratorAccess_0123456789abcdef";
    const record = structuredClone(createUser);
    record.userIdentity = {
      type: "AssumedRole",
      principalId: "AROAEXAMPLEID:alice@example.com",
      arn: `arn:aws:sts::123456789012:assumed-role/${role}/alice@example.com`,
      accountId: "123456789012",
      accessKeyId: "ASIAEXAMPLE",
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          arn: `arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/${role}`,
          userName: role,
        },
        attributes: { creationDate: "2024-01-01T00:00:00Z", mfaAuthenticated: "false" },
      },
    };

    const alert = alertFor(record);
    const summary = summaryOf(alert);

    expect(alert.subject).toBe("CreateUser by sso/alice[@]example[.]com in 123837392027 us-east-1");
    expect(summary).toContain(
      `Role:         arn:aws:iam::123456789012:role/aws-reserved/sso[.]amazonaws[.]com/eu-west-1/${role} (IAM Identity Center permission set AdministratorAccess)`,
    );
    expect(summary).toContain("MFA used:     no");
  });

  it("shows role/session for other assumed roles, cut in the middle so both ends stay", () => {
    const alert = alertFor(loadRecord("events/organizations/LeaveOrganization__1.json"));

    expect(alert.subject).toMatch(/^LeaveOrganization by role\/stratus-red-\S*\.\.\.\S*5440126480 in 123837392027 us-east-1 FAILED AccessDenied$/);
    expect(summaryOf(alert)).toContain("Role:         arn:aws:iam::123837392027:role/stratus-red-team-leave-org-role\n");
  });
});

describe("root, failures and outcome", () => {
  it("marks a root console sign-in in subject, message and attributes", () => {
    const alert = alertFor(rootConsoleLogin);

    expect(alert.subject).toBe("[ROOT] ConsoleLogin by root in 111122223333 us-east-1");
    expect(summaryOf(alert)).toMatch(/^\*\*\* ROOT USER ACTIVITY/);
    expect(summaryOf(alert)).toContain("MFA used:     no");
    expect(alert.attributes).toMatchObject({
      is_root: "true",
      is_error: "false",
      detail_type: "AWS Console Sign In via CloudTrail",
    });
  });

  it("marks errorCode AccessDenied as a failed call with its message", () => {
    const alert = alertFor(accessDenied);

    expect(alert.subject).toBe("AssumeRole by user/bert-jan in 123837392027 us-east-1 FAILED AccessDenied");
    expect(summaryOf(alert)).toContain("*** FAILED: AccessDenied ***");
    expect(summaryOf(alert)).toContain("Outcome:      FAILED - AccessDenied: User: arn:aws:iam::123837392027:user/bert-jan is not authorized");
    expect(alert.attributes["is_error"]).toBe("true");
  });

  it("treats a console sign-in with ConsoleLogin=Failure as failed even without errorCode", () => {
    const alert = alertFor(failedConsoleLogin);

    expect(alert.subject).toBe("ConsoleLogin by user/HIDDEN_DUE_TO_SECURITY_REASONS in 123456789012 us-east-2 FAILED");
    expect(summaryOf(alert)).toContain("Outcome:      FAILED - No username found in supplied account");
    expect(alert.attributes["is_error"]).toBe("true");
  });

  it("reports success for a call without error", () => {
    const alert = alertFor(createUser);

    expect(summaryOf(alert)).toContain("Outcome:      success");
    expect(alert.attributes["is_error"]).toBe("false");
  });
});

describe("events the handler does not recognise", () => {
  const ec2StateChange = {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "111122223333",
    time: "2017-12-22T18:43:48Z",
    region: "us-west-1",
    resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
  };

  it("alerts a non-CloudTrail event with its raw payload", () => {
    const alert = formatAlert(ec2StateChange);

    expect(alert.subject).toBe(UNRECOGNISED_SUBJECT);
    expect(alert.message).toContain('Reason:       "detail-type" is "EC2 Instance State-change Notification", not a CloudTrail event');
    expect(alert.message).toContain('"instance-id": "i-1234567890abcdef0"');
    expect(alert.attributes).toEqual({
      alert_kind: "unrecognised",
      detail_type: "EC2 Instance State-change Notification",
      account_id: "111122223333",
    });
  });

  it.each([
    ["an empty object", {}, 'no "detail-type"'],
    ["null", null, "the event is null"],
    ["a string", "hello", "the event is a string"],
    ["a number", 42, "the event is a number"],
    ["an array", [1, 2], "the event is an array"],
    ["a CloudTrail envelope without detail", { "detail-type": "AWS API Call via CloudTrail" }, '"detail" is missing'],
    ["a detail that is not an object", { "detail-type": "AWS API Call via CloudTrail", detail: "{}" }, '"detail" is a string'],
  ])("alerts %s, marked UNVERIFIED since it has no aws.* source", (_name, event, reason) => {
    const alert = formatAlert(event);

    expect(alert.subject).toBe(`[UNVERIFIED] ${UNRECOGNISED_SUBJECT}`);
    expect(isValidSnsSubject(alert.subject)).toBe(true);
    expect(alert.meta.kind).toBe("unrecognised");
    expect(alert.message).toContain(reason);
    expect(alert.message).toContain(`----- Raw payload (JSON) -----\n${JSON.stringify(event, null, 2)}`);
  });

  it("shortens a huge unrecognised payload to fit", () => {
    const alert = formatAlert({ "detail-type": "Something else", detail: { blob: "\u00e9".repeat(300_000) } });

    expect(alert.meta.shortened).toBe(true);
    expect(billedBytes(alert)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
  });
});

describe("context labels", () => {
  it("puts severity first in the subject and exposes severity and preset as attributes", () => {
    const alert = formatAlert(toEventBridgeEvent(rootConsoleLogin), { severity: "critical", preset: "root-activity" });

    expect(alert.subject).toBe("[CRITICAL] [ROOT] ConsoleLogin by root in 111122223333 us-east-1");
    expect(alert.message.split("\n")[0]).toBe("Severity:     CRITICAL, preset root-activity");
    expect(alert.attributes).toMatchObject({ severity: "critical", preset: "root-activity" });
  });

  it("adds nothing when no context is given", () => {
    const alert = alertFor(rootConsoleLogin);

    expect(alert.attributes).not.toHaveProperty("severity");
    expect(alert.message).not.toContain("Severity:");
  });
});

describe("CloudTrail console link", () => {
  it.each([
    ["us-east-1", "https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/abc"],
    ["cn-north-1", "https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/events/abc"],
    ["us-gov-west-1", "https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-gov-west-1#/events/abc"],
    // anonymised samples carry invented regions: still a link, no crash
    ["ap-isob-central-3r", "https://ap-isob-central-3r.console.aws.amazon.com/cloudtrail/home?region=ap-isob-central-3r#/events/abc"],
    ["bad region/../x", "https://console.aws.amazon.com/cloudtrail/home?region=bad%20region%2F..%2Fx#/events/abc"],
  ])("for region %s", (region, url) => {
    expect(cloudTrailConsoleUrl(region, "abc")).toBe(url);
  });
});

describe("text cutting never splits a character", () => {
  it("cuts a long summary value in the middle, keeping surrogate pairs whole and saying how long it was", () => {
    const record = structuredClone(createUser);
    record["userAgent"] = `${"a".repeat(296)}\u{1F600}\u{1F600}\u{1F600}`; // 302 UTF-16 units, over the 300 shown

    const line = summaryOf(alertFor(record))
      .split("\n")
      .find((l) => l.startsWith("User agent:"));

    expect(line).toBe(`User agent:   ${"a".repeat(142)}...[302 chars]...${"a".repeat(135)}\u{1F600}\u{1F600}\u{1F600}`);
  });
});
