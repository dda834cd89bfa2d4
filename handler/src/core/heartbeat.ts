/**
 * The heartbeat (issue 12): a rule delivers the CloudTrail record of the
 * schedule's TagRole call on the canary role, labelled with the preset
 * `heartbeat`. It is formatted like any alert, but published to the heartbeat
 * topic (which no person subscribes to) with a `heartbeat` attribute, and,
 * once SNS has accepted it, counted in an embedded-metric-format log line
 * that a CloudWatch alarm watches.
 *
 * The names below are shared with the infrastructure through
 * `heartbeat-metric.json`: the alarm must watch exactly the metric this emits.
 */
import contract from "./heartbeat-metric.json" with { type: "json" };
import type { AlertContext } from "./types.js";

export const HEARTBEAT = contract;

/** Whether the rule that delivered this event is the heartbeat rule. */
export function isHeartbeat(context: AlertContext): boolean {
  return context.preset === HEARTBEAT.preset;
}

/** The alert's attributes plus the one that marks a heartbeat. */
export function heartbeatAttributes(attributes: Readonly<Record<string, string>>): Record<string, string> {
  return { ...attributes, [HEARTBEAT.attributeName]: HEARTBEAT.attributeValue };
}

export interface HeartbeatMetricInput {
  /** The notifier's function name: the metric's one dimension. */
  readonly functionName: string;
  /** When SNS accepted the heartbeat: the datapoint's timestamp. */
  readonly publishedAt: Date;
  /** `eventTime` of the CloudTrail record, for the delay (logged, not a metric). */
  readonly eventTime?: string;
  readonly messageId?: string;
}

/**
 * One CloudWatch embedded-metric-format line: `Heartbeats` = 1 with dimension
 * `FunctionName`, timestamped when the publish succeeded. The delay since the
 * TagRole call is a plain property (searchable in Logs Insights, not billed
 * as a metric).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function heartbeatMetricLine(input: HeartbeatMetricInput): string {
  const called = input.eventTime === undefined ? Number.NaN : Date.parse(input.eventTime);
  const delaySeconds = Number.isNaN(called) ? undefined : Math.round((input.publishedAt.getTime() - called) / 1000);
  return JSON.stringify({
    _aws: {
      Timestamp: input.publishedAt.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: HEARTBEAT.namespace,
          Dimensions: [[HEARTBEAT.dimensionName]],
          Metrics: [{ Name: HEARTBEAT.metricName, Unit: HEARTBEAT.unit }],
        },
      ],
    },
    [HEARTBEAT.dimensionName]: input.functionName,
    [HEARTBEAT.metricName]: 1,
    ...(delaySeconds !== undefined ? { heartbeatDelaySeconds: delaySeconds } : {}),
    ...(input.messageId !== undefined ? { messageId: input.messageId } : {}),
  });
}
