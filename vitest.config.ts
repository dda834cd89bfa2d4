import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts", "handler/test/**/*.test.ts"],
    // terraform init/plan and moto-backed tests take seconds, not milliseconds
    testTimeout: 120_000,
    hookTimeout: 180_000,
    allowOnly: false,
    passWithNoTests: false,
  },
});
