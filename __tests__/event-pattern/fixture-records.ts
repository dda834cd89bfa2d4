/**
 * Every CloudTrail record of the fixture corpus (__tests__/fixtures/cloudtrail):
 * each events/<service>/*.json, and each record of each logs/*.json (their
 * .json.gz twin holds the same records and is left out).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CloudTrailRecord } from "../../tools/backtest/wrap";
import { PROJECT_ROOT } from "../support/synth";

export const CLOUDTRAIL_FIXTURES = join(PROJECT_ROOT, "__tests__", "fixtures", "cloudtrail");

export interface LabelledRecord {
  /** `events/iam/CreateUser__1.json` or `logs/<file>#<index>`. */
  readonly label: string;
  readonly record: CloudTrailRecord;
}

export async function fixtureRecords(): Promise<LabelledRecord[]> {
  const records: LabelledRecord[] = [];
  const eventsDir = join(CLOUDTRAIL_FIXTURES, "events");
  for (const service of (await readdir(eventsDir)).sort()) {
    for (const name of (await readdir(join(eventsDir, service))).sort()) {
      if (!name.endsWith(".json")) continue;
      const label = `events/${service}/${name}`;
      records.push({ label, record: JSON.parse(await readFile(join(CLOUDTRAIL_FIXTURES, label), "utf8")) as CloudTrailRecord });
    }
  }
  for (const name of (await readdir(join(CLOUDTRAIL_FIXTURES, "logs"))).sort()) {
    if (!name.endsWith(".json")) continue;
    const { Records } = JSON.parse(await readFile(join(CLOUDTRAIL_FIXTURES, "logs", name), "utf8")) as { Records: CloudTrailRecord[] };
    for (const [i, record] of Records.entries()) records.push({ label: `logs/${name}#${i}`, record });
  }
  return records;
}
