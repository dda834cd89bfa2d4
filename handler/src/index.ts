/**
 * Lambda entry point (handler string `index.handler`; the bundle is
 * dist/index.mjs). Configuration is read and the SNS client created once per
 * execution environment, at module load.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { requireEnv } from "./config.js";
import { SERVICE_NAME } from "./core/index.js";
import { createHandler } from "./handler.js";
import { heartbeatConfigFrom } from "./heartbeat.js";
import { createLogger } from "./logger.js";

const topicArn = requireEnv("TOPIC_ARN");

// Standard retry mode with 4 attempts: enough to ride out SNS throttling
// within the function timeout; after that the error reaches Lambda, whose
// asynchronous retries and failure destination keep the event.
const sns = new SNSClient({ maxAttempts: 4, retryMode: "standard" });

export const handler = createHandler({
  sns,
  topicArn,
  logger: createLogger({ service: SERVICE_NAME }),
  heartbeat: heartbeatConfigFrom(process.env),
});
