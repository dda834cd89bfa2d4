/**
 * Genuine CloudTrail events as EventBridge delivers them: every record of the
 * corpus (`__tests__/fixtures/cloudtrail`), plus a real record per rule the
 * corpus cannot exercise, edited to aim at this deployment's own resources or
 * to carry the one event name the rule watches (the corpus has no SNS or
 * Config record, no tampering with these names). Each is wrapped in the
 * EventBridge envelope CloudTrail events have: `source` "aws.<service>",
 * `detail-type` from the record's eventType, the record as `detail`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html
 */
import { detailTypeOf, loadSamples, sourceOf } from "../e2e/harness";
import type { Json } from "../support/synth";
import { ACCOUNT, NAMES } from "./deployable-patterns";

export interface GenuineEvent {
  /** Corpus file, or `variant: <what was edited>`. */
  readonly id: string;
  /** The full EventBridge event. */
  readonly event: Record<string, unknown>;
}

interface Variant {
  readonly id: string;
  /** Corpus file the record is copied from. */
  readonly from: string;
  readonly edit: (record: Json) => void;
}

/** Same record, another service and event name (for services the corpus has no write of). */
const retarget = (service: string, eventName: string, requestParameters: Json) => (r: Json): void => {
  r.eventSource = `${service}.amazonaws.com`;
  r.eventName = eventName;
  r.requestParameters = requestParameters;
  delete r.errorCode;
  delete r.errorMessage;
};

const VARIANTS: readonly Variant[] = [
  { id: "variant: StopLogging of this trail", from: "events/cloudtrail/StopLogging__4.json", edit: (r) => (r.requestParameters = { name: NAMES.trailName }) },
  { id: "variant: DeleteBucket of the log bucket", from: "events/s3/DeleteBucket__3.json", edit: (r) => (r.requestParameters = { bucketName: NAMES.logBucketName }) },
  {
    id: "variant: PutRule on this deployment's iam-events rule",
    from: "events/events/PutRule__1.json",
    edit: (r) => (r.requestParameters.name = `${NAMES.namePrefix}-iam-events`),
  },
  {
    id: "variant: UpdateFunctionCode of the notifier",
    from: "events/lambda/GetFunction20150331v2__1.json",
    edit: retarget("lambda", "UpdateFunctionCode20150331v2", { functionName: NAMES.functionName }),
  },
  {
    id: "variant: DeleteTopic of the alert topic",
    from: "events/iam/CreateRole__5.json",
    edit: retarget("sns", "DeleteTopic", { topicArn: NAMES.topicArn }),
  },
  {
    id: "variant: PutRolePolicy on this deployment's notifier role",
    from: "events/iam/AttachRolePolicy__1.json",
    edit: (r) => {
      r.eventName = "PutRolePolicy";
      r.requestParameters = { roleName: NAMES.functionName, policyName: "escalate" };
      delete r.errorCode;
      delete r.errorMessage;
    },
  },
  {
    id: "variant: DeleteStack of a stack this deployment's StackSet created",
    from: "events/iam/CreateRole__5.json",
    edit: retarget("cloudformation", "DeleteStack", { stackName: `StackSet-${NAMES.namePrefix}-member-forwarding-0123abcd` }),
  },
  {
    id: "variant: CreateSAMLProvider",
    from: "events/iam/CreateRole__5.json",
    edit: retarget("iam", "CreateSAMLProvider", { name: "corp-idp" }),
  },
  {
    id: "variant: DeleteAccountPasswordPolicy",
    from: "events/iam/CreateRole__5.json",
    edit: retarget("iam", "DeleteAccountPasswordPolicy", null),
  },
  {
    id: "variant: ScheduleKeyDeletion",
    from: "events/kms/GenerateDataKey__1.json",
    edit: retarget("kms", "ScheduleKeyDeletion", { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", pendingWindowInDays: 7 }),
  },
  {
    id: "variant: StopConfigurationRecorder",
    from: "events/ec2/RunInstances__1.json",
    edit: retarget("config", "StopConfigurationRecorder", { configurationRecorderName: "default" }),
  },
  {
    id: "variant: AuthorizeSecurityGroupIngress",
    from: "events/ec2/RunInstances__1.json",
    edit: retarget("ec2", "AuthorizeSecurityGroupIngress", { groupId: "sg-0123456789abcdef0" }),
  },
];

/** The EventBridge event CloudTrail produces for a record. */
export function envelope(id: string, record: Json): Record<string, unknown> {
  return {
    version: "0",
    id,
    "detail-type": detailTypeOf(record),
    source: sourceOf(record),
    account: ACCOUNT,
    time: typeof record.eventTime === "string" ? record.eventTime : "2024-01-01T00:00:00Z",
    region: typeof record.awsRegion === "string" ? record.awsRegion : "us-east-1",
    resources: [],
    detail: record,
  };
}

export function genuineEvents(): GenuineEvent[] {
  const samples = loadSamples();
  const byFile = new Map(samples.map((s) => [s.file, s.record]));
  const variants = VARIANTS.map(({ id, from, edit }) => {
    const record = structuredClone(byFile.get(from));
    if (record === undefined) throw new Error(`${id}: no corpus record ${from}`);
    edit(record);
    return { id, record };
  });
  return [...samples.map((s) => ({ id: s.file, record: s.record })), ...variants].map(({ id, record }, i) => ({
    id,
    event: envelope(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, record),
  }));
}
