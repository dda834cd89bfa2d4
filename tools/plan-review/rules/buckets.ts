/**
 * The log buckets: public access blocks, deletion, versioning and default
 * encryption.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import type { Finding } from "../finding";
import { Attributes, block, bool, ResourceChange, sides, str, unknownAfter } from "../plan-json";
import { list } from "../policy";
import { capitalized, code, finding, Rule } from "./rule";

const PUBLIC_ACCESS_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

/** "bucket `name`", or words for a bucket whose name is known only after apply. */
export function bucketLabel(rc: ResourceChange): string {
  const { before, after } = sides(rc);
  const name = str(after, "bucket") ?? str(before, "bucket");
  return name !== undefined ? `bucket ${code(name)}` : "a bucket created by this plan";
}

export const publicAccessBlock: Rule = (rc) => {
  const { before, after } = sides(rc);
  const bucket = rc.type === "aws_s3_account_public_access_block" ? "the account" : bucketLabel(rc);
  const isOn = (attrs: Attributes | null, f: string): boolean => bool(attrs, f) === true;
  if (before !== null && after === null) {
    const were = PUBLIC_ACCESS_FLAGS.filter((f) => isOn(before, f));
    return were.length > 0 ? [finding("weakening", "buckets", rc, `Public access block of ${bucket} is removed.`)] : [];
  }
  if (after === null) return [];
  if (before === null) {
    const on = PUBLIC_ACCESS_FLAGS.filter((f) => isOn(after, f));
    const off = PUBLIC_ACCESS_FLAGS.filter((f) => bool(after, f) === false);
    const out: Finding[] = [];
    if (on.length > 0) out.push(finding("strengthening", "buckets", rc, `Public access block of ${bucket}: ${list(on.map(code))} on.`));
    if (off.length > 0) out.push(finding("change", "buckets", rc, `Public access block of ${bucket} is created with ${list(off.map(code))} off.`));
    return out;
  }
  const known = PUBLIC_ACCESS_FLAGS.filter((f) => !unknownAfter(rc, f));
  const turnedOff = known.filter((f) => isOn(before, f) && bool(after, f) === false);
  const turnedOn = known.filter((f) => bool(before, f) === false && isOn(after, f));
  const out: Finding[] = [];
  if (turnedOff.length > 0) out.push(finding("weakening", "buckets", rc, `Public access block of ${bucket}: ${list(turnedOff.map(code))} turned off.`));
  if (turnedOn.length > 0) out.push(finding("strengthening", "buckets", rc, `Public access block of ${bucket}: ${list(turnedOn.map(code))} turned on.`));
  return out;
};

export const bucket: Rule = (rc) => {
  const { before, after } = sides(rc);
  return before !== null && after === null ? [finding("weakening", "buckets", rc, `${capitalized(bucketLabel(rc))} is deleted.`)] : [];
};

export const versioning: Rule = (rc) => {
  const { before, after } = sides(rc);
  const status = (attrs: Attributes | null): string | undefined => str(block(attrs, "versioning_configuration") ?? null, "status");
  const name = bucketLabel(rc);
  if (before === null || unknownAfter(rc, "versioning_configuration")) return [];
  const was = status(before);
  const will = after === null ? "removed" : status(after);
  if (was === "Enabled" && will !== "Enabled") {
    return [finding("weakening", "buckets", rc, `Versioning of ${name} is ${will === "removed" ? "no longer managed" : "suspended"}: overwritten or deleted log files can no longer be recovered.`)];
  }
  if (was !== "Enabled" && will === "Enabled") return [finding("strengthening", "buckets", rc, `Versioning of ${name} is enabled.`)];
  return [];
};

/** Default bucket encryption, weakest first: https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html */
const SSE_STRENGTH: Readonly<Record<string, number>> = { AES256: 1, "aws:kms": 2, "aws:kms:dsse": 3 };

export const bucketEncryption: Rule = (rc) => {
  const { before, after } = sides(rc);
  const name = bucketLabel(rc);
  const algorithm = (attrs: Attributes | null): string | undefined =>
    str(block(block(attrs, "rule") ?? null, "apply_server_side_encryption_by_default") ?? null, "sse_algorithm");
  if (unknownAfter(rc, "rule")) return [];
  const was = algorithm(before);
  const will = algorithm(after);
  if (before !== null && after === null) {
    return [finding("weakening", "encryption", rc, `Default encryption of ${name} (${was ?? "unknown"}) is removed: S3 falls back to SSE-S3 (AES256) with no key of yours.`)];
  }
  if (before === null) {
    return will !== undefined ? [finding("strengthening", "encryption", rc, `${capitalized(name)} is encrypted by default with ${code(will)}.`)] : [];
  }
  if (was === undefined || will === undefined || was === will) return [];
  const rank = (a: string): number => SSE_STRENGTH[a] ?? 0;
  if (rank(will) < rank(was)) return [finding("weakening", "encryption", rc, `Default encryption of ${name} is downgraded from ${code(was)} to ${code(will)}.`)];
  if (rank(will) > rank(was)) return [finding("strengthening", "encryption", rc, `Default encryption of ${name} is upgraded from ${code(was)} to ${code(will)}.`)];
  return [finding("change", "encryption", rc, `Default encryption of ${name} changes from ${code(was)} to ${code(will)}.`)];
};
