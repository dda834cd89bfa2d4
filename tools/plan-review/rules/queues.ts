/**
 * SQS queues: the dead-letter queues that keep events whose delivery failed,
 * and their encryption.
 */
import { Attributes, bool, sides, str, unknownAfter } from "../plan-json";
import { finding, nameOf, Rule } from "./rule";

export const sqsQueue: Rule = (rc) => {
  const { before, after } = sides(rc);
  const queue = nameOf(rc, "name");
  if (before !== null && after === null) {
    return [finding("weakening", "dlq", rc, `Queue ${queue} is deleted: events kept there for replay are lost, and failed deliveries that used it are dropped.`)];
  }
  if (before === null || after === null || unknownAfter(rc, "kms_master_key_id")) return [];
  const level = (attrs: Attributes): number => (str(attrs, "kms_master_key_id") !== undefined ? 2 : bool(attrs, "sqs_managed_sse_enabled") === true ? 1 : 0);
  if (level(after) < level(before)) {
    return [finding("weakening", "encryption", rc, level(after) === 0 ? `Queue ${queue} is no longer encrypted at rest.` : `Queue ${queue} is no longer encrypted with a KMS key.`)];
  }
  if (level(after) > level(before)) return [finding("strengthening", "encryption", rc, `Queue ${queue} is now encrypted with ${level(after) === 2 ? "a KMS key" : "SQS-managed keys"}.`)];
  return [];
};
