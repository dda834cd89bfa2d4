/**
 * In an organization, an alert says which account acted, by the name the
 * operator gave it (`account_names`, passed as ACCOUNT_NAMES) and by ID, and
 * in which region, in the subject and the first sentence.
 */
import { describe, expect, it } from "vitest";
import { readAccountNames } from "../src/config.js";
import { formatAlert } from "../src/core/index.js";
import { loadRecord, toEventBridgeEvent } from "./support/samples.js";

const createUser = loadRecord("events/iam/CreateUser__1.json");
const inMember = (account: string, region: string): Record<string, unknown> => {
  const event = toEventBridgeEvent({ ...structuredClone(createUser), recipientAccountId: account, awsRegion: region });
  return { ...event, account, region };
};

describe("account names", () => {
  it("names a known member account and its region in the subject and the first sentence", () => {
    const alert = formatAlert(inMember("111122223333", "eu-west-1"), { accountNames: { "111122223333": "workload-a" } });
    expect(alert.subject).toMatch(/ in workload-a \(111122223333\) eu-west-1$/);
    expect(alert.message.split("\n")[0]).toContain("in account workload-a (111122223333), eu-west-1;");
    expect(alert.message).toMatch(/^Account: +workload-a \(111122223333\)$/m);
  });

  it("shows the ID alone for an account without a name", () => {
    const alert = formatAlert(inMember("444455556666", "us-east-1"), { accountNames: { "111122223333": "workload-a" } });
    expect(alert.subject).toMatch(/ in 444455556666 us-east-1$/);
    expect(alert.message).not.toContain("workload-a");
  });

  it("never reads a name from the object prototype", () => {
    const alert = formatAlert(inMember("constructor", "us-east-1"), { accountNames: {} });
    expect(alert.subject).toMatch(/ in constructor us-east-1$/);
  });
});

describe("ACCOUNT_NAMES", () => {
  it("reads a JSON object of IDs to names, and nothing when unset or empty", () => {
    expect(readAccountNames({ ACCOUNT_NAMES: '{"111122223333":"prod"}' })).toEqual({ "111122223333": "prod" });
    expect(readAccountNames({})).toEqual({});
    expect(readAccountNames({ ACCOUNT_NAMES: " " })).toEqual({});
  });

  it("fails at start-up, naming the variable, on anything else", () => {
    expect(() => readAccountNames({ ACCOUNT_NAMES: "{prod}" })).toThrow(/ACCOUNT_NAMES is not JSON/);
    expect(() => readAccountNames({ ACCOUNT_NAMES: '["prod"]' })).toThrow(/ACCOUNT_NAMES must be a JSON object/);
    expect(() => readAccountNames({ ACCOUNT_NAMES: '{"111122223333":7}' })).toThrow(/ACCOUNT_NAMES must be a JSON object/);
  });
});
