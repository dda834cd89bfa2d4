/**
 * The stack's audit-log buckets, read and emptied with the AWS SDK.
 *
 * The buckets keep `force_destroy = false` on purpose, so that no `destroy`
 * erases audit logs by accident; `npm run destroy -- --empty-log-buckets` is
 * the deliberate way. They are versioned, so emptying means deleting every
 * object version and every delete marker: `aws s3 rm --recursive` only adds
 * delete markers, and S3 still refuses to delete the bucket (BucketNotEmpty).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/empty-bucket.html
 *
 * Credentials, and an endpoint such as an emulator's (AWS_ENDPOINT_URL), come
 * from the usual AWS SDK sources, as for Terraform.
 */
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client, type ObjectIdentifier } from "@aws-sdk/client-s3";
import type { StateResource } from "./state";
import { UserError } from "./project";

export interface LogBucket {
  readonly name: string;
  /** The bucket's Terraform address. */
  readonly address: string;
  readonly region: string | undefined;
  /** What it holds, in words. */
  readonly holds: string;
}

/**
 * The buckets that hold logs: the trail's bucket and every bucket that
 * receives server access logs. Found through the resources that write to
 * them, not through names, so a renamed bucket is still found.
 */
export function logBucketsOf(resources: readonly StateResource[]): LogBucket[] {
  const holds = new Map<string, string>();
  for (const r of resources) {
    if (r.type === "aws_cloudtrail" && typeof r.values.s3_bucket_name === "string") holds.set(r.values.s3_bucket_name, "CloudTrail log files");
    if (r.type === "aws_s3_bucket_logging" && typeof r.values.target_bucket === "string") holds.set(r.values.target_bucket, "S3 server access logs");
  }
  return resources
    .filter((r) => r.type === "aws_s3_bucket" && holds.has(String(r.values.bucket)))
    .map((r) => ({
      name: String(r.values.bucket),
      address: r.address,
      region: typeof r.values.region === "string" ? r.values.region : undefined,
      holds: holds.get(String(r.values.bucket))!,
    }));
}

const clients = new Map<string, S3Client>();

// The SDK's notice that its releases from 2027 need Node 22 says nothing about this command (the SDK is pinned);
// left on, it lands in the middle of destroy's output on Node 20, which this project supports.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function s3(region: string | undefined): S3Client {
  const key = region ?? "";
  let client = clients.get(key);
  if (client === undefined) {
    // An emulator or another S3-compatible endpoint is one host: bucket names cannot be subdomains of it.
    const customEndpoint = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
    client = new S3Client({ ...(region !== undefined ? { region } : {}), forcePathStyle: customEndpoint });
    clients.set(key, client);
  }
  return client;
}

/** Closes the SDK's keep-alive sockets. */
export function closeClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}

const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** How many object versions and delete markers the bucket holds, up to one page (1,000). */
export async function countVersions(bucket: LogBucket): Promise<{ readonly count: number; readonly more: boolean }> {
  try {
    const page = await s3(bucket.region).send(new ListObjectVersionsCommand({ Bucket: bucket.name }));
    return { count: (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0), more: page.IsTruncated === true };
  } catch (err) {
    throw new UserError(`cannot list the object versions of ${bucket.name} (${errorText(err)}); nothing was destroyed`);
  }
}

/**
 * Deletes every object version and delete marker, a page of ListObjectVersions
 * at a time (DeleteObjects takes at most 1,000 keys). Passes repeat until one
 * finds the bucket empty, because log delivery may still add objects. Returns
 * how many were deleted.
 */
export async function emptyBucket(bucket: LogBucket, maxPasses = 5): Promise<number> {
  const client = s3(bucket.region);
  let deleted = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let found = 0;
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket.name, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      const entries: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
      for (let i = 0; i < entries.length; i += 1000) {
        const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket.name, Delete: { Objects: entries.slice(i, i + 1000), Quiet: true } }));
        const errors = out.Errors ?? [];
        if (errors.length > 0) {
          const sample = errors.slice(0, 3).map((e) => `${e.Key} ${e.VersionId ?? ""}: ${e.Code} ${e.Message ?? ""}`.trim());
          throw new UserError(`could not delete ${errors.length} object versions in ${bucket.name}: ${sample.join("; ")}`);
        }
      }
      found += entries.length;
      if (page.IsTruncated !== true) break;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
    deleted += found;
    if (found === 0) return deleted;
  }
  throw new UserError(`${bucket.name} still receives new objects after ${maxPasses} passes; stop what writes to it and run again`);
}
