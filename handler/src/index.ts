/**
 * Lambda entry point (handler string `index.handler`; the bundle is
 * dist/index.mjs). Configuration is read and the SNS client created once per
 * execution environment, at module load.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { optionalTopicArn, requireEnv } from "./config.js";
import { SERVICE_NAME } from "./core/index.js";
import { createDestinations } from "./destinations.js";
import { createHandler } from "./handler.js";
import { createLogger } from "./logger.js";

const topicArn = requireEnv("TOPIC_ARN");
// Set by the stack only when Slack/Teams channels, or sns_subscriptions, are configured.
const chatTopicArn = optionalTopicArn("CHAT_TOPIC_ARN");
const structuredTopicArn = optionalTopicArn("STRUCTURED_TOPIC_ARN");

// Standard retry mode with 4 attempts: enough to ride out SNS throttling
// within the function timeout; after that the error reaches Lambda, whose
// asynchronous retries and failure destination keep the event.
const sns = new SNSClient({ maxAttempts: 4, retryMode: "standard" });

const logger = createLogger({ service: SERVICE_NAME });
const destinations = createDestinations({ sns, logger, chatTopicArn, structuredTopicArn });

export const handler = createHandler({ sns, topicArn, logger, destinations });
