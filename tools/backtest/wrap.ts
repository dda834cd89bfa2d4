/**
 * A CloudTrail record as EventBridge delivers it, and which rules it reaches.
 *
 * Envelope: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 * (`source` is `aws.` + the service of `eventSource`, `account` the
 * recipient account, `time` the event time, `region` the event's region,
 * `detail` the record itself).
 * detail-type by `eventType`: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * and https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html
 */
import { API_CALL, CONSOLE_SIGN_IN } from "../../src/detection";

export type CloudTrailRecord = Readonly<Record<string, unknown>>;

export interface EventBridgeEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account?: string;
  readonly time?: string;
  readonly region?: string;
  readonly resources: readonly string[];
  readonly detail: CloudTrailRecord;
}

/**
 * `eventType` (compared without case: one AWS sample writes "AwsConsoleSignin")
 * → detail-type. The sign-in detail-type is spelled as events carry it,
 * "Sign In" (the user guide's list writes "Signin"), which is what this
 * stack's patterns ask for. Network activity events (`AwsVpceEvent`) are not
 * listed as delivered, so they are not.
 */
const DETAIL_TYPES: Readonly<Record<string, string>> = {
  awsapicall: API_CALL,
  awsconsolesignin: CONSOLE_SIGN_IN,
  awsconsoleaction: "AWS Console Action via CloudTrail",
  awsserviceevent: "AWS Service Event via CloudTrail",
  awscloudtrailinsight: "AWS Insight via CloudTrail",
};

const text = (record: CloudTrailRecord, field: string): string | undefined => {
  const value = record[field];
  return typeof value === "string" && value !== "" ? value : undefined;
};

/**
 * The detail-type, or undefined for a record EventBridge does not receive.
 * A record without `eventType` (some documentation examples) is an API call,
 * or a sign-in when it comes from signin.amazonaws.com.
 */
export function detailTypeOf(record: CloudTrailRecord): string | undefined {
  const eventType = text(record, "eventType");
  if (eventType === undefined) return text(record, "eventSource") === "signin.amazonaws.com" ? CONSOLE_SIGN_IN : API_CALL;
  // The usual spelling first: no lower-casing (a string allocation) per record.
  return eventType === "AwsApiCall" ? API_CALL : DETAIL_TYPES[eventType.toLowerCase()];
}

/** The event EventBridge puts on the default bus for this record, or undefined when it puts none. */
export function toEventBridgeEvent(record: CloudTrailRecord, id?: string): EventBridgeEvent | undefined {
  const detailType = detailTypeOf(record);
  const eventSource = text(record, "eventSource");
  if (detailType === undefined || eventSource === undefined) return undefined;
  const account = text(record, "recipientAccountId");
  const time = text(record, "eventTime");
  const region = text(record, "awsRegion");
  return {
    version: "0",
    id: id ?? text(record, "eventID") ?? "",
    "detail-type": detailType,
    source: `aws.${eventSource.replace(/\.amazonaws\.com$/, "")}`,
    ...(account !== undefined ? { account } : {}),
    ...(time !== undefined ? { time } : {}),
    ...(region !== undefined ? { region } : {}),
    resources: [],
    detail: record,
  };
}

/**
 * Whether only rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 * receive this record. A rule in the usual ENABLED state (this stack's) does
 * not receive read-only management events: those whose action starts with
 * Describe, Get or List. Read-only actions named otherwise (sts:AssumeRole,
 * kms:Decrypt...) and the Get... calls that change something
 * (sts:GetSessionToken, readOnly false) still reach it.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html
 */
export function readOnlyManagementEvent(record: CloudTrailRecord, detailType = detailTypeOf(record)): boolean {
  if (detailType !== API_CALL) return false;
  if (record["managementEvent"] === false || record["readOnly"] === false) return false;
  return /^(Describe|Get|List)/.test(text(record, "eventName") ?? "");
}
