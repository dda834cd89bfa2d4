/**
 * Each reproducer of issue #13 on the pure core, as its own specification.
 * Every test also checks the whole set of invariants (support/invariants.ts).
 * The glue-level reproducers (3 on a warm client, 8) are in publish.test.ts;
 * all of them go through the built bundle in bundle.test.ts.
 */
import { describe, expect, it } from "vitest";
import { formatAlert, type Alert } from "../src/core/index.js";
import { allProblems, splitMessage } from "./support/invariants.js";
import { parse, type ReproducerName } from "./support/reproducers.js";

function alertFor(name: ReproducerName): { alert: Alert; event: unknown } {
  const event = parse(name);
  const alert = formatAlert(event);
  expect(allProblems(alert, event)).toEqual([]);
  return { alert, event };
}

const summaryOf = (alert: Alert): string => splitMessage(alert.message)?.summary ?? "";
const jsonOf = (alert: Alert): string => splitMessage(alert.message)?.json ?? "";
const lineOf = (alert: Alert, label: string): string => summaryOf(alert).split("\n").find((l) => l.startsWith(label)) ?? "";

describe("1. messages over 262,144 bytes", () => {
  it("an eventID of 300,000 characters gives one alert within the limit, the note quoting the id cut to a bounded length", () => {
    const { alert } = alertFor("hugeEventId");

    expect(alert.meta.shortened).toBe(true);
    const note = jsonOf(alert).split("\n")[0] ?? "";
    expect(note).toMatch(/^NOTE: this JSON was SHORTENED .* by event ID x+\.\.\.\[300000 chars\]\.\.\.x+ \(link above\)/);
    expect(note.length).toBeLessThan(400);
  });

  it("CR/LF in the eventID cannot forge lines in the summary or the note", () => {
    const { alert } = alertFor("lineBreaksInEventId");

    expect(lineOf(alert, "Event ID:")).toMatch(/^Event ID: +id\\r\\nOutcome: +success\\r\\nx+\.\.\./);
    expect(alert.message.split("\n").filter((l) => l.startsWith("Outcome:"))).toEqual(["Outcome:      success"]);
    expect(jsonOf(alert).split("\n")[0]).toContain("by event ID id\\r\\nOutcome:");
  });
});

describe("2. URIError before any log", () => {
  it("a lone surrogate as eventID still gives a console link, without the id", () => {
    const { alert } = alertFor("loneSurrogateEventId");

    expect(lineOf(alert, "CloudTrail:")).toBe("CloudTrail:   https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/%EF%BF%BD");
    expect(lineOf(alert, "Event ID:")).toBe("Event ID:     \\udc00");
  });

  it("a lone surrogate as region still gives a console link on the global console host", () => {
    const { alert } = alertFor("loneSurrogateRegion");

    expect(lineOf(alert, "CloudTrail:")).toBe("CloudTrail:   https://console.aws.amazon.com/cloudtrail/home?region=%EF%BF%BD#/events");
    expect(lineOf(alert, "Region:")).toBe("Region:       \\ud800");
  });
});

describe("3. lone surrogates in summary fields", () => {
  it("a lone surrogate in the user agent is shown as \\ud800, and every string of the alert is well-formed", () => {
    const { alert } = alertFor("loneSurrogateUserAgent");

    expect(lineOf(alert, "User agent:")).toBe("User agent:   \\ud800");
    expect(alert.subject.isWellFormed() && alert.message.isWellFormed()).toBe(true);
    expect(Object.values(alert.attributes).every((v) => v.isWellFormed())).toBe(true);
  });
});

describe("4. deep nesting", () => {
  it("arrays nested 3,000 deep are written in full (iteratively), deeper than 20 levels on one line, and it says so", () => {
    const { alert } = alertFor("nested3000");

    expect(alert.meta.shortened).toBe(false);
    expect(jsonOf(alert)).toContain("NOTE: JSON nested deeper than 20 levels is written on one line");
    expect(jsonOf(alert)).toContain(`${"[".repeat(2_980)}]`);
  });

  it("arrays nested 100,000 deep are JSON to depth 4,096 and then a marker that says so, never [object Object]", () => {
    const { alert } = alertFor("nested100000");

    expect(alert.message).not.toContain("[object Object]");
    expect(alert.meta.shortened).toBe(true);
    expect(jsonOf(alert)).toContain("NOTE: JSON nested deeper than 4096 levels is not shown; a string says where.");
    expect(jsonOf(alert)).toContain(`${"[".repeat(4_096 - 21)}"[nested deeper than 4096 levels: not shown]"${"]".repeat(4_096 - 21)}`);
    const record = JSON.parse(jsonOf(alert).replace(/^NOTE: [^\n]*\n/gm, "")) as { requestParameters: unknown };
    let depth = 0;
    for (let v: unknown = record.requestParameters; Array.isArray(v); v = v[0]) depth += 1;
    expect(depth).toBe(4_095);
  });
});

describe("5. quadratic pretty-printing", () => {
  it("60,000 zeros nested 2,000 deep are written with bounded indentation: one line below depth 20", () => {
    const { alert } = alertFor("zerosNested2000");

    expect(alert.meta.shortened).toBe(false);
    expect(Buffer.byteLength(alert.message)).toBeLessThan(140_000);
    expect(jsonOf(alert)).toContain(`[${Array.from({ length: 60_000 }, () => "0").join(",")}]`);
  });
});

describe("6. slow subject", () => {
  it("an errorCode of 85,000 x U+FDFA is folded from a bounded slice into a valid subject that still says FAILED", () => {
    const { alert } = alertFor("arabicLigatureErrorCode");

    expect(alert.subject).toMatch(/^\[UNVERIFIED\] UnknownEvent by unknown\/unknown FAILED [?_]+\.\.\.$/);
    expect(lineOf(alert, "Outcome:").length).toBeLessThan(150);
  });
});

describe("7. __proto__ keys", () => {
  it("a __proto__ key survives in shortened JSON, as a key", () => {
    const { alert } = alertFor("protoKeys");

    expect(alert.meta.shortened).toBe(true);
    const record = JSON.parse(jsonOf(alert).replace(/^NOTE: [^\n]*\n/gm, "")) as Record<string, Record<string, unknown>>;
    expect(Object.keys(record["requestParameters"] ?? {})).toEqual(["__proto__", "userName"]);
    expect(Object.hasOwn(record["requestParameters"] ?? {}, "__proto__")).toBe(true);
    expect(jsonOf(alert)).toContain('"__proto__": {\n      "policy": "ppp');
  });
});

describe("forged first lines", () => {
  it("a SAML name spelling a root sign-in cannot push the actor's type or the real action out of the first sentence", () => {
    const { alert } = alertFor("samlNameSpellsRootSignIn");
    const first = summaryOf(alert).split("\n")[0] ?? "";

    expect(first).toMatch(/^SAMLUser "root \(Root\) called signin:ConsoleLogin i.*\.\.\.\[39\d chars\]\.\.\.(\\u3164)+" called iam:CreateUser in account 111122223333; it succeeded\.$/);
    expect(lineOf(alert, "Actor:")).toMatch(/^Actor: +SAMLUser "root \(Root\).*\\u3164"$/);
    expect(alert.subject).toMatch(/^CreateUser by saml\/root_\(Root\)_called_signin:ConsoleLog\.\.\.\? in 111122223333$/);
  });

  it("an IAM user named root reads as user/root, never as by root", () => {
    const { alert } = alertFor("iamUserNamedRoot");

    expect(alert.subject).toBe("CreateUser by user/root in 111122223333");
    expect(alert.attributes["is_root"]).toBe("false");
    expect(summaryOf(alert)).not.toContain("ROOT USER ACTIVITY");
  });

  it("an IdP name in full-width letters folds to saml/root, with its kind in front", () => {
    const { alert } = alertFor("fullWidthRoot");

    expect(alert.subject).toBe("CreateUser by saml/root in 111122223333");
  });

  it("a user name that looks like a domain is defanged in subject and summary", () => {
    const { alert } = alertFor("domainLikeName");

    expect(alert.subject).toBe("CreateUser by user/aws-signin[.]verify-mfa[.]example");
    expect(lineOf(alert, "Actor:")).toBe('Actor:        IAMUser "aws-signin[.]verify-mfa[.]example"');
    expect(lineOf(alert, "Actor ARN:")).toBe("Actor ARN:    arn:aws:iam::111122223333:user/aws-signin[.]verify-mfa[.]example");
  });

  it("a name that looks like a mail address is defanged in subject and summary", () => {
    const { alert } = alertFor("addressLikeName");

    expect(alert.subject).toBe("CreateUser by webid/security[@]aws-alerts[.]example");
    expect(lineOf(alert, "Actor:")).toBe('Actor:        WebIdentityUser "security[@]aws-alerts[.]example"');
  });

  it("U+202E and U+2028 are escaped in the summary and in the JSON section", () => {
    const { alert } = alertFor("bidiAndLineSeparator");

    expect(lineOf(alert, "Actor:")).toBe('Actor:        IAMUser "\\u202eTOOR\\u2028x"');
    expect(jsonOf(alert)).toContain('"userName": "\\u202eTOOR\\u2028x"');
    expect(jsonOf(alert)).toContain('"userName": "\\u202eTOOR"');
  });

  it("a custom event shaped like a root sign-in is marked UNVERIFIED in subject, first line and alert_kind", () => {
    const { alert } = alertFor("customSourceRootSignIn");

    expect(alert.subject).toBe("[UNVERIFIED] ConsoleLogin by root in 111122223333 us-east-1");
    expect(summaryOf(alert).split("\n")[0]).toMatch(
      /^\*\*\* UNVERIFIED: this event was not emitted by an AWS service \(its source is "my\[\.\]app", not aws\.\*\)\./,
    );
    expect(summaryOf(alert)).not.toContain("ROOT USER ACTIVITY");
    expect(alert.attributes["alert_kind"]).toBe("unverified");
    expect(alert.meta.verified).toBe(false);
  });
});
