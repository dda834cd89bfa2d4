/**
 * The CloudTrail sample corpus the repository carries
 * (__tests__/fixtures/cloudtrail from the project root, sources in its SOURCES.md), wrapped the way EventBridge delivers each record.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const SAMPLES_DIR = fileURLToPath(new URL("../../../__tests__/fixtures/cloudtrail/", import.meta.url));

export type CloudTrailRecord = Record<string, unknown> & {
  eventName?: string;
  eventSource?: string;
  eventID?: string;
  eventTime?: string;
  eventType?: string;
  errorCode?: string;
  recipientAccountId?: string;
  awsRegion?: string;
  userIdentity?: Record<string, unknown>;
};

export interface SampleFile {
  /** Path relative to SAMPLES_DIR, e.g. "events/iam/CreateUser__1.json". */
  readonly file: string;
  readonly records: readonly CloudTrailRecord[];
}

/** Every events/<service>/*.json (one record each) and every record of logs/*.json (the bench passes its own dir). */
export function loadSampleFiles(samplesDir: string = SAMPLES_DIR): SampleFile[] {
  const files: SampleFile[] = [];
  const readJson = (file: string): unknown => JSON.parse(readFileSync(join(samplesDir, file), "utf8"));
  const eventsDir = join(samplesDir, "events");
  for (const service of readdirSync(eventsDir).sort()) {
    for (const name of readdirSync(join(eventsDir, service)).sort()) {
      if (!name.endsWith(".json")) continue;
      const file = `events/${service}/${name}`;
      files.push({ file, records: [readJson(file) as CloudTrailRecord] });
    }
  }
  for (const name of readdirSync(join(samplesDir, "logs")).sort()) {
    if (!name.endsWith(".json")) continue; // the .json.gz twin holds the same records
    const file = `logs/${name}`;
    files.push({ file, records: (readJson(file) as { Records: CloudTrailRecord[] }).Records });
  }
  return files;
}

export function loadRecord(file: string): CloudTrailRecord {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, file), "utf8")) as CloudTrailRecord;
}

/**
 * detail-type by CloudTrail eventType, as listed in
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * (sign-in events arrive as "AWS Console Sign In via CloudTrail" on the bus).
 */
export function detailTypeOf(record: CloudTrailRecord): string {
  switch (record.eventType?.toLowerCase()) {
    case "awsconsolesignin":
      return "AWS Console Sign In via CloudTrail";
    case "awsserviceevent":
      return "AWS Service Event via CloudTrail";
    default:
      return "AWS API Call via CloudTrail";
  }
}

/**
 * The EventBridge envelope around a CloudTrail record
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
 * `id` is derived from the position so renderings are deterministic.
 */
export function toEventBridgeEvent(record: CloudTrailRecord, index = 0): Record<string, unknown> {
  const account = record.recipientAccountId ?? (record.userIdentity?.["accountId"] as string | undefined);
  return {
    version: "0",
    id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    "detail-type": detailTypeOf(record),
    source: `aws.${String(record.eventSource ?? "unknown").replace(/\.amazonaws\.com$/, "")}`,
    ...(account !== undefined ? { account } : {}),
    ...(record.eventTime !== undefined ? { time: record.eventTime } : {}),
    ...(record.awsRegion !== undefined ? { region: record.awsRegion } : {}),
    resources: [],
    detail: record,
  };
}
