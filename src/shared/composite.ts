import { Construct } from "constructs";

/**
 * A construct that groups others by concern (audit, detection, delivery)
 * without taking part in their Terraform addresses: the stack leaves
 * composites out of logical ids (see `src/stacks/logical-ids.ts`). Regrouping
 * code therefore never moves a deployed resource: the log buckets hold audit
 * logs, and an address change would plan their replacement.
 */
export class Composite extends Construct {
  /** Whether a construct is a composite, across copies of this module. */
  static isComposite(construct: unknown): boolean {
    return construct instanceof Composite;
  }
}
