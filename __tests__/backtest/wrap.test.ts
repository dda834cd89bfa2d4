/**
 * CloudTrail records as EventBridge delivers them: envelope fields, the
 * detail-type of each eventType, and which records ENABLED rules never see.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { detailTypeOf, readOnlyManagementEvent, toEventBridgeEvent } from "../../tools/backtest/wrap";
import { CLOUDTRAIL_FIXTURES } from "../event-pattern/fixture-records";

const load = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(CLOUDTRAIL_FIXTURES, "events", file), "utf8"));

describe("the EventBridge envelope", () => {
  it("takes source from eventSource, account, time and region from the record, and the record as detail", () => {
    const record = load("cloudtrail/StopLogging__1.json");

    const event = toEventBridgeEvent(record)!;

    expect(event).toMatchObject({
      version: "0",
      id: record.eventID,
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.cloudtrail",
      account: record.recipientAccountId,
      time: record.eventTime,
      region: record.awsRegion,
      resources: [],
    });
    expect(event.detail).toBe(record);
  });

  it.each([
    ["AwsApiCall", "AWS API Call via CloudTrail"],
    ["AwsConsoleSignIn", "AWS Console Sign In via CloudTrail"],
    ["AwsConsoleSignin", "AWS Console Sign In via CloudTrail"],
    ["AwsConsoleAction", "AWS Console Action via CloudTrail"],
    ["AwsServiceEvent", "AWS Service Event via CloudTrail"],
    ["AwsCloudTrailInsight", "AWS Insight via CloudTrail"],
  ])("gives eventType %s the detail-type %s", (eventType, detailType) => {
    expect(detailTypeOf({ eventType, eventSource: "iam.amazonaws.com" })).toBe(detailType);
  });

  it("delivers no event for a network activity record (AwsVpceEvent) or a record without eventSource", () => {
    expect(toEventBridgeEvent({ eventType: "AwsVpceEvent", eventSource: "s3.amazonaws.com" })).toBeUndefined();
    expect(toEventBridgeEvent({ eventType: "AwsApiCall" })).toBeUndefined();
  });

  it("reads a record without eventType as an API call, or a sign-in when signin.amazonaws.com recorded it", () => {
    expect(detailTypeOf({ eventSource: "ec2.amazonaws.com" })).toBe("AWS API Call via CloudTrail");
    expect(detailTypeOf({ eventSource: "signin.amazonaws.com" })).toBe("AWS Console Sign In via CloudTrail");
  });
});

describe("read-only management events", () => {
  it("are the Describe/Get/List calls: ENABLED rules do not receive them", () => {
    expect(readOnlyManagementEvent(load("cloudtrail/DescribeTrails__1.json"))).toBe(true);
    expect(readOnlyManagementEvent({ eventType: "AwsApiCall", eventSource: "iam.amazonaws.com", eventName: "GetUser", readOnly: true })).toBe(true);
  });

  it("exclude read-only calls named otherwise, calls that change something, data events and sign-ins", () => {
    const call = { eventType: "AwsApiCall", eventSource: "sts.amazonaws.com" };
    expect(readOnlyManagementEvent({ ...call, eventName: "AssumeRole", readOnly: true })).toBe(false);
    expect(readOnlyManagementEvent({ ...call, eventName: "GetSessionToken", readOnly: false })).toBe(false);
    expect(readOnlyManagementEvent({ ...call, eventName: "GetObject", readOnly: true, managementEvent: false })).toBe(false);
    expect(readOnlyManagementEvent(load("cloudtrail/StopLogging__1.json"))).toBe(false);
    expect(readOnlyManagementEvent({ eventType: "AwsConsoleSignIn", eventSource: "signin.amazonaws.com", eventName: "GetSigninToken" })).toBe(false);
  });
});
