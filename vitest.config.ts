import { configDefaults, defineConfig } from "vitest/config";
import LongestFirst from "./__tests__/support/sequencer";

/**
 * Files that only call functions in this process: no terraform, no emulator,
 * no child process, no module mocks. They share their workers' module cache
 * (`isolate: false`): the CDKTF and provider bindings, the handler and the
 * tools are imported once per worker instead of once per file, which halves
 * these files' CPU (44 -> 21 CPU-seconds for 33 files, measured). A file
 * that spawns or blocks must not be listed: a worker blocked in `spawnSync`
 * misses vitest's heartbeat and is terminated. A file not listed runs
 * isolated, which is always safe.
 */
const IN_PROCESS = [
  "handler/test/{accounts,chat-examples,chat,core,destinations,edge,fixtures,handler,heartbeat,labels,property,publish,reproducers,structured}.test.ts",
  "__tests__/alerting-stack.test.ts",
  "__tests__/backtest/{engine,rule-sources,window,wrap}.test.ts",
  "__tests__/event-pattern/matcher.test.ts",
  "__tests__/liveness/status.test.ts",
  "__tests__/plan-review/{organization,summarize}.test.ts",
  "__tests__/presets/{alert-labels,presets}.test.ts",
  "__tests__/readme/alert-example.test.ts",
  "__tests__/scripts/state.test.ts",
  "__tests__/security/{documented-skips,source-constraint}.test.ts",
  "__tests__/terraform-inputs/*.test.ts",
];

export default defineConfig({
  test: {
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
    projects: [
      { extends: true, test: { name: "in-process", include: IN_PROCESS, isolate: false } },
      {
        extends: true,
        test: {
          name: "isolated",
          include: ["__tests__/**/*.test.ts", "handler/test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...IN_PROCESS],
          // One synth, one `terraform init` and one plan emulator for every suite (see the file).
          globalSetup: ["__tests__/support/global-setup.ts"],
        },
      },
    ],
  },
});
