/**
 * The SNS client's time budget. Without timeouts, an endpoint that accepts
 * the connection and never answers holds the invocation until Lambda kills
 * it at the function timeout: no error log, no retry, and the event reaches
 * the failure destination only through Lambda's own retries.
 *
 * The function's timeout is 30 s (`timeoutSeconds` default in
 * src/notifier-function.ts; https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).
 * SNS answers a Publish in tens of milliseconds from inside AWS, so:
 *   - connection:  1 s  (TCP connect to the regional endpoint; fail fast, retry on a new connection)
 *   - request:     3 s  (from sending to the response headers; `throwOnRequestTimeout`, since
 *                        without it @smithy/node-http-handler 4.x only logs a warning)
 *   - socket idle: 2 s  (no byte either way; covers a response body that stalls after its headers)
 *   - attempts:    3    (standard retry mode; the waits between attempts are at most 1 s and 2 s,
 *                        for throttling, and 50-100 ms otherwise)
 * Worst case: 3 x (3 s + 2 s) + 1 s + 2 s = 18 s (see worstCaseSendMs), which leaves 12 s of the 30 s
 * for formatting (under 50 ms), logging and the error path. A duplicate alert after a
 * timed-out publish that SNS did accept is the price; a lost one would be worse. The handler
 * also aborts the publish 2 s before the invocation's own deadline, whatever the function
 * timeout is configured to (see createHandler).
 */
import { SNSClient, type SNSClientConfig } from "@aws-sdk/client-sns";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface SnsTimeouts {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly socketIdleTimeoutMs: number;
  readonly maxAttempts: number;
}

export const SNS_TIMEOUTS: SnsTimeouts = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
  socketIdleTimeoutMs: 2_000,
  maxAttempts: 3,
};

/**
 * The longest wait the SDK's standard retry strategy can insert before retry
 * n (0-based): random x min(20 s, base x 2^n), with base 1 s for throttling
 * errors and 50 ms otherwise (@smithy/core, util-retry, as bundled).
 */
const THROTTLING_BACKOFF_BASE_MS = 1_000;
const MAX_BACKOFF_MS = 20_000;

/** Upper bound of one `send` with these settings (a response that trickles forever is left to the deadline). */
export function worstCaseSendMs(t: SnsTimeouts): number {
  let backoff = 0;
  for (let n = 0; n < t.maxAttempts - 1; n += 1) backoff += Math.min(MAX_BACKOFF_MS, THROTTLING_BACKOFF_BASE_MS * 2 ** n);
  return t.maxAttempts * (t.requestTimeoutMs + t.socketIdleTimeoutMs) + backoff;
}

/** `config` is for tests (endpoint, region, credentials); Lambda takes those from the environment. */
export function createSnsClient(timeouts: SnsTimeouts = SNS_TIMEOUTS, config: SNSClientConfig = {}): SNSClient {
  return new SNSClient({
    ...config,
    maxAttempts: timeouts.maxAttempts,
    retryMode: "standard",
    requestHandler: new NodeHttpHandler({
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.socketIdleTimeoutMs,
    }),
  });
}
