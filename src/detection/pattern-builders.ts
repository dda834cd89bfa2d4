/**
 * Pattern builders the preset catalogue is written in. Read-only calls
 * (Get/List/Describe) never reach EventBridge, so no pattern asks for them.
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html
 */
import { API_CALL, CONSOLE_SIGN_IN, type EventPattern } from "./types";

/**
 * `source` of any AWS service: events that come from AWS services begin with
 * "aws.", and a customer's PutEvents may not use that prefix
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html,
 * "source"). Patterns that match events of any service (root activity,
 * unauthorized calls) pin this, so that an event anyone allowed
 * `events:PutEvents` on the bus can send with a custom source never matches.
 */
export const ANY_AWS_SOURCE: readonly EventPattern[] = [{ prefix: "aws." }];

/** The rule on the user's own `iam_events`: IAM API calls with those event names. */
export function iamEventsPattern(eventNames: readonly string[]): EventPattern {
  return apiCall("iam", eventNames);
}

/** A CloudTrail API-call pattern on one service. */
export function apiCall(service: string, eventNames: readonly (string | EventPattern)[], detail: EventPattern = {}): EventPattern {
  return {
    source: [`aws.${service}`],
    "detail-type": [API_CALL],
    detail: { eventSource: [`${service}.amazonaws.com`], eventName: [...eventNames], ...detail },
  };
}

/** "Exactly this name, or an ARN that ends with it" (APIs that take a name or an ARN). */
export const nameOrArn = (name: string, arnSuffix: string): (string | EventPattern)[] => [name, { suffix: arnSuffix }];

/**
 * Any use of the root user, except what AWS services do on its behalf:
 * CIS CloudWatch.1's filter, `userIdentity.type = Root`, `invokedBy` absent,
 * `eventType` not AwsServiceEvent. One deliberate difference: calls the
 * console makes for a signed-in root (`invokedBy: signin.amazonaws.com`)
 * are a person at the console, so they still alert.
 */
export const rootPattern = (): EventPattern => ({
  source: [...ANY_AWS_SOURCE],
  "detail-type": [API_CALL, CONSOLE_SIGN_IN],
  detail: {
    userIdentity: {
      type: ["Root"],
      $or: [{ invokedBy: [{ exists: false }] }, { invokedBy: ["signin.amazonaws.com"] }],
    },
    eventType: [{ "anything-but": "AwsServiceEvent" }],
  },
});

/** A successful IAM-user console sign-in without MFA. IAM Identity Center and federated sign-ins are AssumedRole/SAMLUser/... and MFA is the IdP's business. */
export const signInWithoutMfa = (mfaUsed: (string | EventPattern)[]): EventPattern => ({
  source: ["aws.signin"],
  "detail-type": [CONSOLE_SIGN_IN],
  detail: {
    eventSource: ["signin.amazonaws.com"],
    eventName: ["ConsoleLogin"],
    userIdentity: { type: ["IAMUser"] },
    additionalEventData: { MFAUsed: mfaUsed },
    responseElements: { ConsoleLogin: ["Success"] },
  },
});

export const failedSignIn = (): EventPattern => ({
  source: ["aws.signin"],
  "detail-type": [CONSOLE_SIGN_IN],
  detail: {
    eventSource: ["signin.amazonaws.com"],
    eventName: ["ConsoleLogin"],
    responseElements: { ConsoleLogin: ["Failure"] },
  },
});
