/**
 * Lambda entry point (handler string `index.handler`; the bundle is
 * dist/index.mjs). Configuration is read and the SNS client created once per
 * execution environment, at module load.
 */
import { optionalTopicArn, readAccountNames, requireEnv } from "./config.js";
import { SERVICE_NAME } from "./core/index.js";
import { createDestinations } from "./destinations.js";
import { createHandler } from "./handler.js";
import { heartbeatConfigFrom } from "./heartbeat.js";
import { createLogger } from "./logger.js";
import { createSnsClient } from "./sns-client.js";

const topicArn = requireEnv("TOPIC_ARN");
const accountNames = readAccountNames();
// Set by the stack only when Slack/Teams channels, or sns_subscriptions, are configured.
const chatTopicArn = optionalTopicArn("CHAT_TOPIC_ARN");
const structuredTopicArn = optionalTopicArn("STRUCTURED_TOPIC_ARN");

// Connection, request and idle timeouts and 3 attempts, together well inside
// the function timeout (numbers and reasons in sns-client.ts). After that the
// error reaches Lambda, whose asynchronous retries and failure destination
// keep the event.
const sns = createSnsClient();
const logger = createLogger({ service: SERVICE_NAME });
const destinations = createDestinations({ sns, logger, chatTopicArn, structuredTopicArn });

export const handler = createHandler({
  sns,
  topicArn,
  logger,
  context: { accountNames },
  heartbeat: heartbeatConfigFrom(process.env),
  destinations,
});
