/**
 * Encryption at rest: KMS keys, and the key reference of encrypted resources.
 */
import type { Finding } from "../finding";
import { ResourceChange, sides, str, unknownAfter } from "../plan-json";
import { finding, flag, nameOf, Rule } from "./rule";

/** A KMS key reference attribute being removed (weakening) or added (strengthening). */
export function encryptionKey(rc: ResourceChange, attribute: string, subject: string): Finding[] {
  const { before, after } = sides(rc);
  if (before === null || after === null || unknownAfter(rc, attribute)) return [];
  const had = str(before, attribute) !== undefined;
  const has = str(after, attribute) !== undefined;
  if (had && !has) return [finding("weakening", "encryption", rc, `${subject} is no longer encrypted with a KMS key.`)];
  if (!had && has) return [finding("strengthening", "encryption", rc, `${subject} is now encrypted with a KMS key.`)];
  return [];
}

export const kmsKey: Rule = (rc) => {
  const { before, after } = sides(rc);
  const key = nameOf(rc, "description", "key_id");
  if (before !== null && after === null) {
    return [finding("weakening", "encryption", rc, `KMS key ${key} is scheduled for deletion: whatever it encrypts becomes unreadable, and what uses it must change keys.`)];
  }
  return [
    ...flag(rc, "encryption", "enable_key_rotation", `KMS key ${key} no longer rotates automatically.`, `KMS key ${key} now rotates automatically.`),
    ...flag(rc, "encryption", "is_enabled", `KMS key ${key} is disabled: encryption and decryption with it fail.`, `KMS key ${key} is enabled.`),
  ];
};
