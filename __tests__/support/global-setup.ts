/**
 * Vitest global setup: the work every Terraform suite needs, done once per
 * run instead of once per file — synthesize the real entry point, `terraform
 * init` it, and start one moto server for plans (the provider needs STS and a
 * region to plan). Suites reach them through `./shared.ts`. Suites that
 * deploy start their own emulator, so their state never meets another's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startMoto } from "./moto";
import { synthApp } from "./synth";
import { Terraform } from "./terraform";
import { missingTools } from "./tools";
import { PHASES_FILE, type SharedSetup } from "./phases";

declare module "vitest" {
  export interface ProvidedContext {
    shared: SharedSetup | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const phases: Record<string, number> = {};
  const time = async <T>(phase: string, work: () => Promise<T> | T): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      phases[phase] = (Date.now() - started) / 1000;
    }
  };
  const missing = missingTools(["terraform", "moto_server"]);
  if (missing.length > 0) {
    project.provide("shared", null);
    return async () => undefined;
  }
  const root = mkdtempSync(join(tmpdir(), "cta-shared-"));
  const cacheDir = join(root, "plans");
  mkdirSync(cacheDir);
  const [synth, moto] = await Promise.all([time("setup: synth", () => synthApp({}, join(root, "cdktf.out"))), time("setup: moto", startMoto)]);
  await time("setup: terraform init", () => new Terraform(synth.stackDir).init());
  project.provide("shared", { stackDir: synth.stackDir, motoEndpoint: moto.endpoint, cacheDir });
  writeFileSync(PHASES_FILE, JSON.stringify(phases));
  return async () => {
    await moto.stop();
    rmSync(root, { recursive: true, force: true });
  };
}
