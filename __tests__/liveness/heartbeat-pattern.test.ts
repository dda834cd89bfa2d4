/**
 * What the liveness rules match, judged by AWS's own pattern matcher
 * (aws/event-ruler, the EventBridge oracle): the heartbeat rule matches the
 * TagRole record of the schedule's call (a synthetic record built from the
 * documentation, `__tests__/fixtures/synthetic/`) and nothing near it, and no
 * alerting rule (any preset part, the iam_events rule, with or without
 * suppression) alerts on it; the regional-alarms rule matches the forwarding
 * alarm's state changes from a watched region and nothing else.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_IAM_EVENTS } from "../../src/config/variables";
import {
  forwardingPattern,
  presetRules,
  resolvedPattern,
  suppressionDetail,
  type DeploymentNames,
  type EventPattern,
} from "../../src/detection";
import { heartbeatPattern } from "../../src/liveness/heartbeat-pattern";
import { regionalAlarmsPattern } from "../../src/liveness/regional-alarms";
import { PROJECT_ROOT, type Json } from "../support/synth";
import { locateOracle } from "../support/oracle";

// The oracle is optional (../shared/tools/eventbridge-oracle, Java 17): without it these tests skip, saying what is missing.
const located = locateOracle();
const missing = located.missing;
if (missing.length > 0) console.warn(`\n!!! SKIPPED: the EventBridge oracle tests need ${missing.join(" and ")}.\n`);
const ORACLE = located.runScript ?? "";

const ACCOUNT = "123456789012";
const APP = "cloudtrail-alerting";
const SCHEDULER_ROLE = `arn:aws:iam::${ACCOUNT}:role/${APP}-heartbeat-scheduler`;
const NAMES: DeploymentNames = {
  namePrefix: APP,
  trailName: `${APP}-trail`,
  logBucketName: `${APP}-logs-${ACCOUNT}-eu-west-1`,
  accessLogBucketName: `${APP}-s3logs-${ACCOUNT}-eu-west-1`,
  functionName: `${APP}-notifier`,
  topicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${APP}-alerts`,
};
const HEARTBEAT = heartbeatPattern({ canaryRoleName: `${APP}-heartbeat-canary`, schedulerRoleArn: SCHEDULER_ROLE });
const ALARM_NAME = `${APP}-forwarding-dlq-not-empty`;

const synthetic = (file: string): Json => JSON.parse(readFileSync(join(PROJECT_ROOT, "__tests__/fixtures/synthetic", file), "utf8"));
const tagRole: Json = synthetic("iam-TagRole-heartbeat.json");
const alarmEvent: Json = synthetic("cloudwatch-alarm-state-change.json");

/** A CloudTrail record in the envelope EventBridge gives it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html). */
const onBus = (record: Json): Json => ({
  version: "0",
  id: "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  "detail-type": "AWS API Call via CloudTrail",
  source: "aws.iam",
  account: ACCOUNT,
  time: record.eventTime,
  region: "us-east-1",
  resources: [],
  detail: record,
});
const varied = (base: Json, change: (copy: Json) => void): Json => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};

/** Every rule that alerts a person: each preset part (as deployed, with and without suppression) and the iam_events rule. */
function alertingPatterns(ignored: string[]): Record<string, EventPattern> {
  const iamEvents: EventPattern = {
    source: ["aws.iam"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventSource: ["iam.amazonaws.com"], eventName: DEFAULT_IAM_EVENTS },
  };
  const suffix = ignored.length > 0 ? " (ignoring the scheduler role)" : "";
  return {
    ...Object.fromEntries(presetRules().map((rule) => [`${rule.key}${suffix}`, resolvedPattern(rule, NAMES, ignored)])),
    [`iam-events${suffix}`]:
      ignored.length > 0 ? { ...iamEvents, detail: { ...iamEvents.detail, ...suppressionDetail(ignored) } } : iamEvents,
  };
}

interface OracleAnswer {
  readonly invalid: Record<string, string>;
  readonly matches: Record<string, string[]>;
}
function oracle(patterns: Record<string, EventPattern>, events: Record<string, Json>): OracleAnswer {
  const input = {
    patterns: Object.fromEntries(Object.entries(patterns).map(([name, p]) => [name, JSON.stringify(p)])),
    events: Object.entries(events).map(([id, event]) => ({ id, event })),
  };
  const run = spawnSync(ORACLE, [], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`the oracle exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as OracleAnswer;
}

describe.skipIf(missing.length > 0)("the heartbeat rule, judged by EventBridge's matcher", () => {
  const events = {
    "the schedule's call": onBus(tagRole),
    "the call, refused by IAM": onBus(
      varied(tagRole, (r) => Object.assign(r, { errorCode: "AccessDenied", errorMessage: "not authorized" })),
    ),
    "the same call on another role": onBus(varied(tagRole, (r) => (r.requestParameters.roleName = "some-other-role"))),
    "a person tagging the canary": onBus(
      varied(tagRole, (r) => {
        r.userIdentity.arn = `arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`;
        r.userIdentity.sessionContext.sessionIssuer.arn = `arn:aws:iam::${ACCOUNT}:role/admin`;
      }),
    ),
    "untagging the canary": onBus(varied(tagRole, (r) => (r.eventName = "UntagRole"))),
  };
  // Asked in a hook, not while collecting: a skipped describe still runs its body.
  let answer: OracleAnswer;
  beforeAll(() => {
    answer = oracle({ heartbeat: HEARTBEAT, ...alertingPatterns([]), ...alertingPatterns([SCHEDULER_ROLE]) }, events);
  });

  it("every pattern is valid for EventBridge", () => {
    expect(answer.invalid).toEqual({});
  });

  it("matches the TagRole record of the schedule's call, and no alerting rule does", () => {
    expect(answer.matches["the schedule's call"]).toEqual(["heartbeat"]);
  });

  it("does not match the call when IAM refused it, on another role, by anyone else, or another action", () => {
    for (const id of ["the call, refused by IAM", "the same call on another role", "a person tagging the canary", "untagging the canary"]) {
      expect({ id, heartbeat: (answer.matches[id] ?? []).includes("heartbeat") }).toEqual({ id, heartbeat: false });
    }
  });

  it("if a user lists TagRole in iam_events, that rule alerts on each heartbeat until the scheduler role is ignored (the plan warns)", () => {
    const withTagRole = (ignored: string[]): EventPattern => ({
      source: ["aws.iam"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["iam.amazonaws.com"], eventName: ["TagRole"], ...(ignored.length > 0 ? suppressionDetail(ignored) : {}) },
    });
    const { matches } = oracle(
      { listed: withTagRole([]), "listed, ignoring the scheduler role": withTagRole([SCHEDULER_ROLE]), heartbeat: HEARTBEAT },
      {
        call: onBus(tagRole),
      },
    );
    expect(matches.call?.sort()).toEqual(["heartbeat", "listed"]);
  });

  it("is never forwarded from a watched region: IAM's events exist only in us-east-1", () => {
    expect(oracle({ forwarding: forwardingPattern() }, { call: onBus(tagRole) }).matches.call ?? []).toEqual([]);
  });
});

describe.skipIf(missing.length > 0)("the regional-alarms rule, judged by EventBridge's matcher", () => {
  const events = {
    "OK to ALARM in eu-west-1": alarmEvent,
    "ALARM back to OK": varied(alarmEvent, (e) => {
      e.detail.previousState.value = "ALARM";
      e.detail.state.value = "OK";
    }),
    "INSUFFICIENT_DATA to OK (a new alarm)": varied(alarmEvent, (e) => {
      e.detail.previousState.value = "INSUFFICIENT_DATA";
      e.detail.state.value = "OK";
    }),
    "the same alarm name in us-east-1": varied(alarmEvent, (e) => (e.region = "us-east-1")),
    "another alarm": varied(alarmEvent, (e) => (e.detail.alarmName = "someone-elses-alarm")),
  };
  let invalid: OracleAnswer["invalid"];
  let matches: OracleAnswer["matches"];
  beforeAll(() => {
    ({ invalid, matches } = oracle(
      {
        "regional-alarms": regionalAlarmsPattern(ALARM_NAME),
        "the region's alarm rule": {
          source: ["aws.cloudwatch"],
          "detail-type": ["CloudWatch Alarm State Change"],
          detail: { alarmName: [ALARM_NAME] },
        },
      },
      events,
    ));
  });

  it("both patterns are valid for EventBridge", () => {
    expect(invalid).toEqual({});
  });

  it("emails the forwarding alarm going to ALARM, and back to OK from ALARM, as the alarm's own actions would", () => {
    expect(matches["OK to ALARM in eu-west-1"]?.sort()).toEqual(["regional-alarms", "the region's alarm rule"]);
    expect(matches["ALARM back to OK"]).toContain("regional-alarms");
  });

  it("not a new alarm settling to OK, not us-east-1's own alarms (they email directly), not other alarms", () => {
    expect(matches["INSUFFICIENT_DATA to OK (a new alarm)"] ?? []).not.toContain("regional-alarms");
    expect(matches["the same alarm name in us-east-1"] ?? []).not.toContain("regional-alarms");
    expect(matches["another alarm"] ?? []).toEqual([]);
  });
});
