/**
 * AWS SDK clients and small SQS helpers for tests that talk to the moto
 * emulator. The endpoint and dummy credentials are passed to each client
 * explicitly, never through the product's code or its synthesized JSON.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";

interface ClientConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** One region's clients against one endpoint; each is created on first use. */
export class AwsClients {
  private readonly config: ClientConfig;
  private readonly cache = new Map<string, { destroy(): void }>();

  constructor(endpoint: string, readonly region: string) {
    this.config = { region, endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  }

  get cloudWatch(): CloudWatchClient {
    return this.client("cloudwatch", () => new CloudWatchClient(this.config));
  }
  get cloudTrail(): CloudTrailClient {
    return this.client("cloudtrail", () => new CloudTrailClient(this.config));
  }
  get events(): EventBridgeClient {
    return this.client("events", () => new EventBridgeClient(this.config));
  }
  get iam(): IAMClient {
    return this.client("iam", () => new IAMClient(this.config));
  }
  get lambda(): LambdaClient {
    return this.client("lambda", () => new LambdaClient(this.config));
  }
  /** Path-style addressing: the emulator is one host, bucket names cannot be subdomains of 127.0.0.1. */
  get s3(): S3Client {
    return this.client("s3", () => new S3Client({ ...this.config, forcePathStyle: true }));
  }
  get sns(): SNSClient {
    return this.client("sns", () => new SNSClient(this.config));
  }
  get sqs(): SQSClient {
    return this.client("sqs", () => new SQSClient(this.config));
  }

  /** Closes the clients' keep-alive sockets so the test process can exit. */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }

  private client<T extends { destroy(): void }>(key: string, create: () => T): T {
    let client = this.cache.get(key) as T | undefined;
    if (client === undefined) {
      client = create();
      this.cache.set(key, client);
    }
    return client;
  }
}

export interface Queue {
  readonly url: string;
  readonly arn: string;
}

export async function createQueue(sqs: SQSClient, name: string): Promise<Queue> {
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (url === undefined) throw new Error(`CreateQueue ${name} returned no URL`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`queue ${name} has no QueueArn attribute`);
  return { url, arn };
}

export async function deleteQueue(sqs: SQSClient, queue: Queue): Promise<void> {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
}

/**
 * Every message currently in the queue. moto delivers EventBridge and SNS
 * messages synchronously (before PutEvents / Publish returns), so one pass
 * until an empty receive sees them all; messages stay invisible for five
 * minutes, so none is read twice.
 */
export async function drainQueue(sqs: SQSClient, queue: Queue): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 300,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
  }
}

/**
 * Deletes every object version and delete marker in a (versioned) bucket, so
 * that a bucket created with `force_destroy = false` can be destroyed.
 * Returns how many were deleted.
 */
export async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const listing = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(listing.Versions ?? []), ...(listing.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key ?? "",
      VersionId: v.VersionId,
    }));
    if (objects.length === 0) return deleted;
    for (let i = 0; i < objects.length; i += 1000) {
      const out = await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(i, i + 1000), Quiet: true } }),
      );
      if ((out.Errors ?? []).length > 0) {
        throw new Error(`could not empty ${bucket}: ${JSON.stringify(out.Errors?.slice(0, 3))}`);
      }
    }
    deleted += objects.length;
  }
}
