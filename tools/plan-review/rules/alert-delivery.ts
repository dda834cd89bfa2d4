/**
 * Alert delivery: the function that turns matched events into alerts, its
 * failure destinations, and the topic alerts are published to.
 */
import type { Finding } from "../finding";
import { Attributes, block, sides, str, unknownAfter } from "../plan-json";
import { encryptionKey } from "./encryption";
import { finding, nameOf, Rule } from "./rule";

export const lambdaFunction: Rule = (rc) => {
  const { before, after } = sides(rc);
  const fn = nameOf(rc, "function_name");
  if (before !== null && after === null) {
    return [finding("weakening", "rules", rc, `Function ${fn} is deleted: matched events are no longer turned into alerts.`)];
  }
  if (before === null || after === null) return [];
  const out: Finding[] = [];
  if (!unknownAfter(rc, "dead_letter_config")) {
    const had = str(block(before, "dead_letter_config") ?? null, "target_arn") !== undefined;
    const has = block(after, "dead_letter_config") !== undefined;
    if (had && !has) out.push(finding("weakening", "dlq", rc, `Function ${fn} loses its dead-letter queue: events it fails to process are dropped.`));
    if (!had && has) out.push(finding("strengthening", "dlq", rc, `Function ${fn} gains a dead-letter queue for events it fails to process.`));
  }
  const reserved = after.reserved_concurrent_executions;
  if (reserved === 0 && before.reserved_concurrent_executions !== 0) {
    out.push(finding("weakening", "rules", rc, `Function ${fn} gets a reserved concurrency of 0: it can no longer run.`));
  }
  return out;
};

export const invokeConfig: Rule = (rc) => {
  const { before, after } = sides(rc);
  if (before === null || unknownAfter(rc, "destination_config")) return [];
  const onFailure = (attrs: Attributes | null): string | undefined =>
    str(block(block(attrs, "destination_config") ?? null, "on_failure") ?? null, "destination");
  const fn = nameOf(rc, "function_name");
  if (onFailure(before) !== undefined && onFailure(after) === undefined) {
    return [finding("weakening", "dlq", rc, `Function ${fn} no longer sends failed asynchronous invocations to an on-failure destination.`)];
  }
  return [];
};

export const snsTopic: Rule = (rc) => {
  const { before, after } = sides(rc);
  const topic = nameOf(rc, "name");
  if (before !== null && after === null) return [finding("weakening", "rules", rc, `Topic ${topic} is deleted: alerts have nowhere to go.`)];
  return encryptionKey(rc, "kms_master_key_id", `Topic ${topic}`);
};
