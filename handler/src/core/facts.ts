import type { CloudTrailEnvelope } from "./envelope.js";
import { describeActor, type Actor } from "./identity.js";
import { asObject, str, withDefined, type JsonObject } from "./types.js";

/** What the subject and the summary say about one CloudTrail record, read once. All strings are raw and untrusted. */
export interface Facts {
  /** The event came from an AWS service (`source` starts with `aws.`). */
  readonly verified: boolean;
  readonly eventName?: string;
  readonly eventSource?: string;
  readonly eventId?: string;
  readonly account?: string;
  readonly region?: string;
  readonly time?: string;
  readonly actor: Actor;
  readonly failure?: { readonly code?: string; readonly message?: string };
}

export function readFacts(envelope: CloudTrailEnvelope, record: JsonObject, verified: boolean): Facts {
  const actor = describeActor(record);
  const eventName = str(record, "eventName");
  const errorCode = str(record, "errorCode");
  const errorMessage = str(record, "errorMessage");
  // Sign-in events report failure as responseElements.ConsoleLogin = "Failure" with no errorCode.
  const signInFailed = eventName !== undefined && str(asObject(record["responseElements"]), eventName) === "Failure";
  const failed = errorCode !== undefined || errorMessage !== undefined || signInFailed;
  return withDefined({
    verified,
    eventName,
    eventSource: str(record, "eventSource"),
    eventId: str(record, "eventID"),
    account: str(record, "recipientAccountId") ?? envelope.account ?? actor.accountId,
    region: str(record, "awsRegion") ?? envelope.region,
    time: str(record, "eventTime") ?? envelope.time,
    actor,
    failure: failed ? withDefined({ code: errorCode, message: errorMessage }) : undefined,
  });
}
