import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where the global setup leaves its phase times for `scripts/test.mjs` to print. */
export const PHASES_FILE = join(tmpdir(), "cta-test-phases.json");

/** What the global setup prepared once for every suite (see `./shared.ts`). */
export interface SharedSetup {
  /** `cdktf.out/stacks/cloudtrail-alerting` of the default synth, after `terraform init`. Never apply here. */
  readonly stackDir: string;
  readonly motoEndpoint: string;
  readonly cacheDir: string;
}
