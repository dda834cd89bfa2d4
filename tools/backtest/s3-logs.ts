/**
 * Log files under `s3://bucket/prefix`, listed folder by folder (delimiter
 * "/") so that the dated layout prunes whole days, months and years outside
 * `--since/--until` without listing them.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { LogFile, LogSource } from "./log-source";
import { folderMayHold, isLogFileName, skippedFolder, type TimeWindow } from "./window";

export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

/** `s3://bucket/prefix` → its parts; throws on anything else. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (match === null) throw new Error(`--logs ${url}: not an S3 location; write s3://bucket or s3://bucket/prefix/`);
  return { bucket: match[1]!, prefix: match[2] ?? "" };
}

export function s3Logs(client: S3Client, url: string, window: TimeWindow): LogSource {
  const { bucket, prefix } = parseS3Url(url);
  const read = async (key: string): Promise<Buffer> => {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (out.Body === undefined) throw new Error(`s3://${bucket}/${key}: empty response`);
    return Buffer.from(await out.Body.transformToByteArray());
  };
  async function* folder(path: string): AsyncGenerator<LogFile> {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: path, Delimiter: "/", ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key!;
        if (isLogFileName(key)) yield { name: `s3://${bucket}/${key}`, ...(object.Size !== undefined ? { size: object.Size } : {}), read: () => read(key) };
      }
      for (const sub of page.CommonPrefixes ?? []) {
        const next = sub.Prefix!;
        if (!skippedFolder(next) && folderMayHold(window, next)) yield* folder(next);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
  return {
    description: url,
    async check() {
      try {
        await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
      } catch (err: unknown) {
        throw new Error(`--logs ${url}: cannot list the bucket (${err instanceof Error ? err.name + ": " + err.message : String(err)})`);
      }
    },
    files: () => folder(prefix),
  };
}
