/**
 * Replays dead-lettered events through the notifier, so that alerts which
 * could not be sent are sent once the cause is fixed.
 *
 *   npm run redrive -- --application-name cloudtrail-alerting [--queue NAME ...] [--max N] [--dry-run]
 *
 * Both dead-letter queues hold the original EventBridge event as the message
 * body: EventBridge's target DLQ keeps the event it could not deliver, and
 * Lambda's asynchronous-invocation DLQ keeps the payload it could not process.
 * Each message is re-invoked asynchronously (the notifier's normal path, with
 * Lambda's retries and dead-letter queue behind it) and deleted from the queue
 * only after Lambda accepted it. A message that fails stays in the queue.
 *
 * Credentials and endpoint come from the usual AWS SDK sources. The queues and
 * function are in us-east-1 unless --region says otherwise.
 */
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { parseArgs } from "node:util";

/** Hands one event to the notifier. Resolves when the notifier has accepted it. */
export type Invoke = (payload: string) => Promise<void>;

export interface RedriveOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly invoke: Invoke;
  /** Stop after this many messages. @default no limit (until the queue reads empty) */
  readonly max?: number;
  /** Only count what would be replayed; receive and release, never delete. */
  readonly dryRun?: boolean;
  readonly log?: (line: string) => void;
}

export interface RedriveResult {
  readonly replayed: number;
  readonly failed: number;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Moves messages from one dead-letter queue back through the notifier. */
export async function redriveQueue(options: RedriveOptions): Promise<RedriveResult> {
  const { sqs, queueUrl, invoke, max = Number.POSITIVE_INFINITY, dryRun = false, log = () => {} } = options;
  let replayed = 0;
  let failed = 0;
  const seen = new Set<string>();
  while (replayed + failed < max) {
    const batch = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - replayed - failed),
        // Long enough to invoke and delete; a failed message reappears for the next run.
        VisibilityTimeout: 60,
        WaitTimeSeconds: 1,
      }),
    );
    const messages = (batch.Messages ?? []).filter((m) => m.MessageId !== undefined && !seen.has(m.MessageId));
    if (messages.length === 0) break;
    for (const message of messages) {
      seen.add(message.MessageId as string);
      if (dryRun) {
        replayed += 1;
        continue;
      }
      try {
        await invoke(message.Body ?? "");
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        replayed += 1;
      } catch (err) {
        failed += 1;
        log(`could not replay message ${message.MessageId}: ${errorText(err)} (left in the queue)`);
      }
    }
  }
  return { replayed, failed };
}

/** The notifier's normal entry: an asynchronous invocation (Lambda answers 202 once it has queued the event). */
export function lambdaInvoke(lambda: LambdaClient, functionName: string): Invoke {
  return async (payload) => {
    const response = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: "Event", Payload: Buffer.from(payload) }),
    );
    if (response.StatusCode !== 202) throw new Error(`Lambda answered ${response.StatusCode}, expected 202`);
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "application-name": { type: "string", default: "cloudtrail-alerting" },
      queue: { type: "string", multiple: true },
      region: { type: "string", default: "us-east-1" },
      max: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  const name = values["application-name"] as string;
  const queues = values.queue ?? [`${name}-delivery-dlq`, `${name}-notifier-dlq`];
  const functionName = `${name}-notifier`;
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    console.error("--max must be a positive whole number");
    return 1;
  }
  const sqs = new SQSClient({ region: values.region });
  const invoke = lambdaInvoke(new LambdaClient({ region: values.region }), functionName);

  let failures = 0;
  for (const queueName of queues) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    if (QueueUrl === undefined) throw new Error(`queue ${queueName} not found`);
    const result = await redriveQueue({ sqs, queueUrl: QueueUrl, invoke, max, dryRun: values["dry-run"], log: console.error });
    failures += result.failed;
    const verb = values["dry-run"] ? "would replay" : "replayed";
    console.log(`${queueName}: ${verb} ${result.replayed} event(s) through ${functionName}, ${result.failed} failed`);
  }
  return failures === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`redrive failed: ${errorText(err)}`);
      process.exit(1);
    },
  );
}
