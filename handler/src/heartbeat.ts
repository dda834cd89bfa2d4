/**
 * Glue for the heartbeat (issue 12), kept apart from `handler.ts` so the
 * handler only asks "where does this go, and what happens once SNS accepted
 * it": an alert goes to the alert topic as before; a heartbeat goes to the
 * heartbeat topic, never to the alert topic, and is counted only after the
 * publish succeeded.
 */
import { heartbeatAttributes, heartbeatMetricLine, isHeartbeat } from "./core/heartbeat.js";
import { asObject, str, type AlertContext } from "./core/types.js";

export interface HeartbeatConfig {
  /** `HEARTBEAT_TOPIC_ARN`: where heartbeats are published. Without it a heartbeat fails (and the heartbeat alarm fires). */
  readonly topicArn?: string;
  /** `AWS_LAMBDA_FUNCTION_NAME` (set by Lambda): the metric's dimension. */
  readonly functionName?: string;
  /**
   * Receives the embedded-metric-format line. Default: stdout, written
   * directly: Lambda's JSON log format passes a line that is already JSON
   * through unchanged (console.log would wrap it and CloudWatch would not
   * extract the metric).
   * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html
   */
  readonly writeMetric?: (line: string) => void;
  readonly now?: () => Date;
}

/** The heartbeat settings from the function's environment (read once, at module load). */
export function heartbeatConfigFrom(env: NodeJS.ProcessEnv): HeartbeatConfig {
  const topicArn = env["HEARTBEAT_TOPIC_ARN"]?.trim();
  const functionName = env["AWS_LAMBDA_FUNCTION_NAME"]?.trim();
  return { ...(topicArn ? { topicArn } : {}), ...(functionName ? { functionName } : {}) };
}

export interface DeliveryInput {
  readonly alertTopicArn: string;
  /** The labels the rule's input transformer added. */
  readonly context: AlertContext;
  readonly attributes: Readonly<Record<string, string>>;
  /** The EventBridge event (for the CloudTrail record's `eventTime`). */
  readonly event: unknown;
  readonly heartbeat?: HeartbeatConfig | undefined;
}

export interface Delivery {
  readonly topicArn: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Call once SNS has accepted the publish. */
  accepted(messageId: string | undefined): void;
}

/** Where a formatted alert is published. Throws (before any publish) for a heartbeat the function is not configured for. */
export function deliveryFor({ alertTopicArn, context, attributes, event, heartbeat = {} }: DeliveryInput): Delivery {
  if (!isHeartbeat(context)) return { topicArn: alertTopicArn, attributes, accepted: () => undefined };
  const { topicArn, functionName, writeMetric = writeToStdout, now = () => new Date() } = heartbeat;
  if (topicArn === undefined || functionName === undefined) {
    throw new Error(
      "a heartbeat arrived but HEARTBEAT_TOPIC_ARN or AWS_LAMBDA_FUNCTION_NAME is not set: heartbeats are never published to the alert topic",
    );
  }
  const eventTime = str(asObject(asObject(event)?.["detail"]), "eventTime");
  return {
    topicArn,
    attributes: heartbeatAttributes(attributes),
    accepted: (messageId) =>
      writeMetric(
        heartbeatMetricLine({
          functionName,
          publishedAt: now(),
          ...(eventTime !== undefined ? { eventTime } : {}),
          ...(messageId !== undefined ? { messageId } : {}),
        }),
      ),
  };
}

function writeToStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}
