import type { MessageAttributeValue, PublishCommandOutput } from "@aws-sdk/client-sns";
import { PublishCommand } from "@aws-sdk/client-sns";
import { formatAlert, unwrapLabelled, type AlertContext } from "./core/index.js";
import type { DestinationResults, Destinations } from "./destinations.js";
import type { Logger } from "./logger.js";

/** The one SNS operation the handler needs; an SNSClient satisfies it. */
export interface SnsSender {
  send(command: PublishCommand): Promise<PublishCommandOutput>;
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
  /** Chat and structured-alert topics, published to after the email topic accepted the alert (see destinations.ts). */
  readonly destinations?: Destinations;
}

export interface HandlerResult {
  readonly messageId: string | undefined;
  readonly eventId: string | undefined;
  /** Message ids from the chat and structured-alert topics, when configured. */
  readonly destinations?: DestinationResults;
}

/** How much of an unrecognised payload goes into the error log. */
const LOGGED_PAYLOAD_CHARS = 2_000;

/**
 * The Lambda glue: format (pure), publish, log. Resolves only after SNS has
 * accepted the alert. A publish that still fails after the SDK's retries is
 * rethrown, so Lambda's asynchronous retries and the function's failure
 * destination keep the event.
 */
export function createHandler({ sns, topicArn, logger, context = {}, destinations }: HandlerDeps) {
  return async function handler(event: unknown): Promise<HandlerResult> {
    // Rule targets deliver {preset, severity, event}; replays may carry either shape.
    const labelled = unwrapLabelled(event);
    const alert = formatAlert(labelled.event, { ...context, ...labelled.context });
    const { meta } = alert;
    const keys = {
      eventId: meta.eventId,
      eventName: meta.eventName,
      eventSource: meta.eventSource,
      preset: labelled.context.preset,
      severity: labelled.context.severity,
    };

    if (meta.kind === "unrecognised") {
      logger.error("unrecognised event; publishing it as an alert with the raw payload", {
        reason: meta.reason,
        payloadExcerpt: excerpt(event),
      });
    }

    let output: PublishCommandOutput;
    try {
      output = await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: alert.subject,
          Message: alert.message,
          MessageAttributes: toMessageAttributes(alert.attributes),
        }),
      );
    } catch (err: unknown) {
      logger.error("publishing the alert to SNS failed after retries; rethrowing so Lambda retries the event", {
        ...keys,
        topicArn,
        errorName: err instanceof Error ? err.name : typeof err,
        errorMessage: err instanceof Error ? err.message : String(err),
      });
      throw err;
    }

    logger.info("alert published", {
      ...keys,
      kind: meta.kind,
      messageId: output.MessageId,
      bytes: meta.billedBytes,
      shortened: meta.shortened,
    });
    if (destinations === undefined || destinations.names.length === 0) return { messageId: output.MessageId, eventId: meta.eventId };
    const published = await destinations.publish({
      subject: alert.subject,
      event: labelled.event,
      context: { ...context, ...labelled.context },
      keys,
    });
    return { messageId: output.MessageId, eventId: meta.eventId, destinations: published };
  };
}

function toMessageAttributes(attributes: Readonly<Record<string, string>>): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) out[name] = { DataType: "String", StringValue: value };
  return out;
}

function excerpt(event: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(event) ?? String(event);
  } catch {
    text = String(event);
  }
  return text.length > LOGGED_PAYLOAD_CHARS ? `${text.slice(0, LOGGED_PAYLOAD_CHARS)}... (${text.length} chars)` : text;
}
