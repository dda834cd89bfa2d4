/**
 * The checks of what watches the path: alarms, dead-letter queues, the trail
 * and the heartbeat (see collect.ts, which gathers them).
 */
import { DescribeTrailsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, type CloudWatchClient, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ALERTING_REGION } from "../../src/config/regions";
import { HEARTBEAT_CONTRACT } from "../../src/liveness/heartbeat-contract";
import { HEARTBEAT_ALARM } from "../../src/liveness/heartbeat-timing";
import type { RegionClients } from "./collect";
import { isMissing } from "./errors";
import { ago, type Check } from "./model";

export async function alarmsWithPrefix(cloudWatch: CloudWatchClient, prefix: string): Promise<MetricAlarm[]> {
  const alarms: MetricAlarm[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, AlarmTypes: ["MetricAlarm"], NextToken }));
    alarms.push(...(page.MetricAlarms ?? []));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return alarms.sort((a, b) => (a.AlarmName ?? "").localeCompare(b.AlarmName ?? ""));
}

export function alarmCheck(alarm: MetricAlarm, region: string): Check {
  const state = alarm.StateValue ?? "unknown";
  const base = { area: "alarms", region, name: alarm.AlarmName ?? "?" } as const;
  if (alarm.ActionsEnabled === false) {
    return {
      ...base,
      state: `${state}, actions DISABLED`,
      healthy: false,
      note: `it tells nobody: aws cloudwatch enable-alarm-actions --alarm-names ${alarm.AlarmName} --region ${region}`,
    };
  }
  if (state === "ALARM") return { ...base, state, healthy: false, note: "see its description for what to do" };
  return { ...base, state, healthy: true, ...(state === "INSUFFICIENT_DATA" ? { note: "not evaluated yet" } : {}) };
}

export async function queueCheck(
  sqs: SQSClient,
  region: string,
  queueName: string,
  whenMissing?: string,
): Promise<{ check: Check; exists: boolean }> {
  const base = { area: "dead-letter queues", region, name: queueName } as const;
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  if (url === undefined) {
    return whenMissing !== undefined
      ? { check: { ...base, state: "none", healthy: true, note: whenMissing }, exists: false }
      : { check: { ...base, state: "missing", healthy: false, note: "failed deliveries have nowhere to go: redeploy" }, exists: false };
  }
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  const depth = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  const check: Check = {
    ...base,
    state: `${depth} message${depth === 1 ? "" : "s"}`,
    healthy: depth === 0,
    ...(depth > 0 ? { note: "events that were not delivered: see the queue's alarm, then npm run redrive" } : {}),
  };
  return { check, exists: true };
}

export async function trailCheck(clientsFor: (region: string) => RegionClients, trailName: string, regions: readonly string[]): Promise<Check> {
  for (const region of regions) {
    const { trailList = [] } = await clientsFor(region).cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const trail = trailList.find((t) => t.Name === trailName);
    if (trail?.TrailARN === undefined) continue;
    const home = trail.HomeRegion ?? region;
    const status = await clientsFor(home).cloudTrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN }));
    const logging = status.IsLogging === true;
    return {
      area: "trail",
      region: home,
      name: trailName,
      state: logging ? "logging" : "NOT LOGGING",
      healthy: logging,
      ...(logging ? {} : { note: `no event reaches EventBridge: aws cloudtrail start-logging --name ${trail.TrailARN}` }),
    };
  }
  return {
    area: "trail",
    region: regions.join(","),
    name: trailName,
    state: "missing",
    healthy: false,
    note: "not found in these regions: pass the home region with --watch-region",
  };
}

export async function heartbeatCheck(cloudWatch: CloudWatchClient, name: string, alarms: readonly MetricAlarm[], now: Date): Promise<Check> {
  const base = { area: "heartbeat", region: ALERTING_REGION, name: "last heartbeat" } as const;
  if (!alarms.some((a) => a.AlarmName === `${name}-heartbeat-missing`)) {
    return { ...base, state: "off", healthy: true, note: "heartbeat_interval_minutes is null" };
  }
  const lookBackHours = 3;
  const { Datapoints = [] } = await cloudWatch.send(
    new GetMetricStatisticsCommand({
      Namespace: HEARTBEAT_CONTRACT.namespace,
      MetricName: HEARTBEAT_CONTRACT.metricName,
      Dimensions: [{ Name: HEARTBEAT_CONTRACT.dimensionName, Value: `${name}-notifier` }],
      StartTime: new Date(now.getTime() - lookBackHours * 3_600_000),
      EndTime: now,
      Period: HEARTBEAT_ALARM.periodSeconds,
      Statistics: ["Sum"],
    }),
  );
  const last = Datapoints.filter((d) => (d.Sum ?? 0) > 0 && d.Timestamp !== undefined)
    .map((d) => d.Timestamp!)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (last === undefined) {
    return {
      ...base,
      state: `none in the last ${lookBackHours} hours`,
      healthy: false,
      note: "the heartbeat alarm fires; see its description",
    };
  }
  const fresh = now.getTime() - last.getTime() <= HEARTBEAT_ALARM.windowMinutes * 60_000;
  return {
    ...base,
    state: `${last.toISOString()} (${ago(last, now)})`,
    healthy: fresh,
    ...(fresh ? {} : { note: `older than ${HEARTBEAT_ALARM.windowMinutes} minutes: something on the path stopped` }),
  };
}
