/**
 * Pattern builders the preset catalogue is written in. Read-only calls
 * (Get/List/Describe) never reach EventBridge, so no pattern asks for them.
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html
 */
import { API_CALL, CONSOLE_SIGN_IN, type EventPattern } from "./types";

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
