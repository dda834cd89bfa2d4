import type { MessageAttributeValue, PublishCommandInput, PublishCommandOutput } from "@aws-sdk/client-sns";
import { PublishCommand } from "@aws-sdk/client-sns";
import { formatAlert, formatFailsafe, show, unwrapLabelled, writeJson, type Alert, type AlertContext } from "./core/index.js";
import type { DestinationResults, Destinations } from "./destinations.js";
import { deliveryFor, type Delivery, type HeartbeatConfig } from "./heartbeat.js";
import type { LogFields, Logger } from "./logger.js";

/** The one SNS operation the handler needs; an SNSClient satisfies it. */
export interface SnsSender {
  send(command: PublishCommand, options?: { abortSignal?: AbortSignal }): Promise<PublishCommandOutput>;
}

/** The part of Lambda's context object the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export interface HandlerDeps {
  readonly sns: SnsSender;
  readonly topicArn: string;
  readonly logger: Logger;
  /**
   * Labels to put on every alert (see AlertContext); none by default. Labels
   * an event arrives with (the rules' input transformer) take precedence.
   */
  readonly context?: AlertContext;
  /**
   * How long before the invocation's deadline a publish still in flight is
   * aborted, leaving time to log the failure and throw.
   * @default 2000
   */
  readonly deadlineReserveMs?: number;
  /** Where heartbeats go and how they are counted (see `./heartbeat.ts`). */
  readonly heartbeat?: HeartbeatConfig;
  /** Chat and structured-alert topics, published to after the email topic accepted the alert (see destinations.ts). */
  readonly destinations?: Destinations;
}

export interface HandlerResult {
  readonly messageId: string | undefined;
  readonly eventId: string | undefined;
  /** Message ids of the chat and structured-alert publishes, when those are configured. */
  readonly destinations?: DestinationResults;
}

/** How much of an unrecognised payload goes into the error log. */
const LOGGED_PAYLOAD_BYTES = 2_000;

/**
 * The Lambda glue: format (pure), publish, log. Resolves only after SNS has
 * accepted the alert. Every failure is logged, naming the event, before it
 * is thrown, so Lambda's asynchronous retries and the function's failure
 * destination keep the event. Nothing is shared between invocations but the
 * client: each publish gets a fresh command built from a fresh alert.
 */
export function createHandler({ sns, topicArn, logger, context = {}, deadlineReserveMs = 2_000, heartbeat, destinations }: HandlerDeps) {
  return async function handler(event: unknown, invocation?: InvocationContext): Promise<HandlerResult> {
    let alert: Alert;
    let labels: AlertContext = {};
    let inner: unknown = event;
    try {
      // Rule targets deliver {preset, severity, event}; replays may carry either shape.
      const labelled = unwrapLabelled(event);
      labels = labelled.context;
      inner = labelled.event;
      alert = formatAlert(labelled.event, { ...context, ...labelled.context });
    } catch (err: unknown) {
      const error = errorFields(err);
      logger.error("formatting the event failed; publishing a fallback alert with a payload excerpt", {
        ...error,
        payloadExcerpt: excerpt(event),
      });
      alert = formatFailsafe(event, `${error.errorName}: ${error.errorMessage}`);
    }
    const { meta } = alert;
    const keys: LogFields = {
      eventId: meta.eventId,
      eventName: meta.eventName,
      eventSource: meta.eventSource,
      eventBridgeId: meta.eventBridgeId,
      preset: labels.preset === undefined ? undefined : show(labels.preset, 64, { defang: false }),
      severity: labels.severity,
    };

    if (meta.kind === "unrecognised") {
      logger.error("unrecognised event; publishing it as an alert with the raw payload", {
        ...keys,
        reason: meta.reason,
        payloadExcerpt: excerpt(event),
      });
    }
    if (!meta.verified) logger.warn("event not emitted by an AWS service (source is not aws.*); alerting it as UNVERIFIED", keys);

    // A heartbeat (labelled by its rule) goes to the heartbeat topic, never to people; an alert to the alert topic.
    let delivery: Delivery;
    try {
      delivery = deliveryFor({ alertTopicArn: topicArn, context: labels, attributes: alert.attributes, event: inner, heartbeat });
    } catch (err: unknown) {
      logger.error("cannot deliver the heartbeat; rethrowing so the heartbeat alarm and the dead-letter queue show it", { ...keys, ...errorFields(err) });
      throw err;
    }

    const deadline = abortBeforeDeadline(invocation, deadlineReserveMs);
    let output: PublishCommandOutput;
    try {
      output = await sns.send(new PublishCommand(publishInput(delivery.topicArn, alert, delivery.attributes)), { abortSignal: deadline.signal });
    } catch (err: unknown) {
      logger.error("publishing the alert to SNS failed after retries; rethrowing so Lambda retries the event", {
        ...keys,
        topicArn: delivery.topicArn,
        ...errorFields(err),
      });
      throw err;
    } finally {
      deadline.clear();
    }
    delivery.accepted(output.MessageId);

    logger.info("alert published", {
      ...keys,
      kind: meta.kind,
      verified: meta.verified,
      messageId: output.MessageId,
      bytes: meta.billedBytes,
      shortened: meta.shortened,
    });
    // Heartbeats never go to people's channels; alerts go to chat and SIEM once email accepted them. A failure
    // there is logged and thrown like one of the alert topic (destinations.ts), so Lambda retries the event.
    if (destinations === undefined || destinations.names.length === 0 || delivery.topicArn !== topicArn) {
      return { messageId: output.MessageId, eventId: meta.eventId };
    }
    const published = await destinations.publish({ subject: alert.subject, event: inner, context: { ...context, ...labels }, keys });
    return { messageId: output.MessageId, eventId: meta.eventId, destinations: published };
  };
}

/** A new input object per publish: nothing the SDK might keep or change is shared with the next event. */
function publishInput(topicArn: string, alert: Alert, messageAttributes: Readonly<Record<string, string>>): PublishCommandInput {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(messageAttributes)) attributes[name] = { DataType: "String", StringValue: value };
  return { TopicArn: topicArn, Subject: alert.subject, Message: alert.message, MessageAttributes: attributes };
}

/** An AbortSignal that fires `reserveMs` before the invocation's deadline (never, without a Lambda context). */
function abortBeforeDeadline(invocation: InvocationContext | undefined, reserveMs: number) {
  const controller = new AbortController();
  const remaining = typeof invocation?.getRemainingTimeInMillis === "function" ? invocation.getRemainingTimeInMillis() : undefined;
  const timer =
    remaining === undefined
      ? undefined
      : setTimeout(() => controller.abort(new Error(`no answer from SNS ${reserveMs} ms before the invocation's deadline`)), Math.max(0, remaining - reserveMs));
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

function errorFields(err: unknown): { errorName: string; errorMessage: string } {
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? err.message : String(err);
  return { errorName: show(name, 128, { defang: false }), errorMessage: show(message, 1_000, { defang: false }) };
}

/** Compact JSON, cut at LOGGED_PAYLOAD_BYTES, written iteratively: any payload, any depth. */
function excerpt(event: unknown): string {
  try {
    const json = writeJson(event, { maxBytes: LOGGED_PAYLOAD_BYTES, pretty: false });
    return json.complete ? json.text : `${json.text}... (cut at ${LOGGED_PAYLOAD_BYTES} bytes)`;
  } catch (err: unknown) {
    return `(the payload could not be written: ${errorFields(err).errorMessage})`;
  }
}
