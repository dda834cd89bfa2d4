import { defineConfig } from "vitest/config";
import LongestFirst from "./__tests__/support/sequencer";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts", "handler/test/**/*.test.ts"],
    // One synth, one `terraform init` and one plan emulator for every suite (see the file).
    globalSetup: ["__tests__/support/global-setup.ts"],
    // Terraform and the emulator spend most of a suite's time waiting (the AWS
    // provider polls for eventual consistency: about 55 s per S3 lifecycle
    // configuration), so more workers than cores keep both cores busy.
    pool: "forks",
    maxWorkers: 6,
    minWorkers: 1,
    // terraform init/plan and moto-backed tests take seconds, not milliseconds; a test
    // that plans two configurations can wait minutes for the cores on a loaded machine
    testTimeout: 240_000,
    hookTimeout: 300_000,
    // Suites that deploy on the emulator start first (see the file).
    sequence: { sequencer: LongestFirst },
    allowOnly: false,
    passWithNoTests: false,
  },
});
