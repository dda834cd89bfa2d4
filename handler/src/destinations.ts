/**
 * Glue for the alert's other destinations, beside the email topic: the chat
 * topic (Amazon Q Developer in chat applications delivers its custom
 * notifications to Slack and Microsoft Teams channels) and the structured
 * topic (raw JSON for a SIEM or ticketing system). Each is configured only
 * when the deployment has one (`CHAT_TOPIC_ARN`, `STRUCTURED_TOPIC_ARN`).
 *
 * Same error semantics as the email publish: a publish that still fails after
 * the SDK's retries is logged (naming the event and the topic) and thrown,
 * so Lambda retries the event and, after its retries, the function's
 * dead-letter queue keeps it. Never a silent success. Delivery is therefore
 * at least once: a retry publishes again to the destinations that had
 * already accepted the alert (the email, typically), since SNS has no
 * idempotent publish on standard topics.
 */
import { PublishCommand, type PublishCommandOutput } from "@aws-sdk/client-sns";
import { chatMessage } from "./core/chat.js";
import { readAlertFields } from "./core/fields.js";
import { structuredMessage } from "./core/structured.js";
import type { AlertContext } from "./core/index.js";
import type { LogFields, Logger } from "./logger.js";

/** The one SNS operation needed; an SNSClient satisfies it. */
export interface DestinationSender {
  send(command: PublishCommand): Promise<PublishCommandOutput>;
}

export interface DestinationsConfig {
  readonly sns: DestinationSender;
  readonly logger: Logger;
  /** The chat topic; undefined when no Slack or Teams channel is configured. */
  readonly chatTopicArn?: string | undefined;
  /** The structured-alert topic; undefined when no `sns_subscriptions` are configured. */
  readonly structuredTopicArn?: string | undefined;
}

export interface DestinationInput {
  /** The alert's subject, as the email's. */
  readonly subject: string;
  /** The event the alert was formatted from (the rule's labels taken off). */
  readonly event: unknown;
  readonly context: AlertContext;
  /** Log keys of the event (event id and name...), repeated on every line. */
  readonly keys: LogFields;
}

/** Message id per destination that accepted the alert. */
export type DestinationResults = Readonly<Partial<Record<"chat" | "structured", string | undefined>>>;

export interface Destinations {
  /** Which destinations are configured, for the handler's logs. */
  readonly names: readonly ("chat" | "structured")[];
  publish(input: DestinationInput): Promise<DestinationResults>;
}

/**
 * Publishes to every configured destination at once; resolves when all have
 * accepted, rejects (after logging each failure) when any has not.
 */
export function createDestinations({ sns, logger, chatTopicArn, structuredTopicArn }: DestinationsConfig): Destinations {
  const targets: { name: "chat" | "structured"; topicArn: string }[] = [];
  if (chatTopicArn !== undefined) targets.push({ name: "chat", topicArn: chatTopicArn });
  if (structuredTopicArn !== undefined) targets.push({ name: "structured", topicArn: structuredTopicArn });

  return {
    names: targets.map((t) => t.name),
    async publish({ subject, event, context, keys }) {
      if (targets.length === 0) return {};
      // Pure and bounded; a throw here is a bug, and is handled like a failed publish below.
      const bodies = (): Record<"chat" | "structured", () => { message: string; facts: LogFields }> => {
        const fields = readAlertFields(event, context);
        return {
          chat: () => ({ message: chatMessage(subject, fields), facts: {} }),
          structured: () => {
            const s = structuredMessage(subject, fields, event);
            return { message: s.message, facts: { bytes: s.bytes, eventShortened: s.eventShortened, eventOmitted: s.eventOmitted } };
          },
        };
      };
      let build: ReturnType<typeof bodies>;
      try {
        build = bodies();
      } catch (err: unknown) {
        logger.error("building the chat and structured alerts failed; rethrowing so Lambda retries the event", {
          ...keys,
          ...errorFields(err),
        });
        throw err;
      }

      const settled = await Promise.allSettled(
        targets.map(async ({ name, topicArn }) => {
          const { message, facts } = build[name]();
          const output = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
          logger.info(`${name} alert published`, { ...keys, ...facts, destination: name, messageId: output.MessageId });
          return output.MessageId;
        }),
      );

      const results: Partial<Record<"chat" | "structured", string | undefined>> = {};
      const failures: unknown[] = [];
      settled.forEach((outcome, i) => {
        const { name, topicArn } = targets[i]!;
        if (outcome.status === "fulfilled") {
          results[name] = outcome.value;
          return;
        }
        failures.push(outcome.reason);
        logger.error(`publishing the ${name} alert to SNS failed after retries; rethrowing so Lambda retries the event`, {
          ...keys,
          destination: name,
          topicArn,
          ...errorFields(outcome.reason),
        });
      });
      if (failures.length > 0) throw failures[0];
      return results;
    },
  };
}

function errorFields(err: unknown): { errorName: string; errorMessage: string } {
  return {
    errorName: err instanceof Error ? err.name : typeof err,
    errorMessage: (err instanceof Error ? err.message : String(err)).slice(0, 1_000),
  };
}
