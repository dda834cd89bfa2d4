/**
 * Which test files start first. Vitest starts the biggest files first when it
 * has no timings of an earlier run (a fresh clone, CI). Here what takes
 * longest is not what is biggest: the emulator suites spend minutes in
 * `terraform apply`, mostly waiting on the AWS provider's consistency polls,
 * and would leave the cores idle at the end of the run if they started last.
 * So suites that deploy start first (the longest chain first), then the plan
 * suites, then everything else in vitest's own order. `npm test` prints the
 * slowest files of each run, which is where this order comes from.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Longest first: deploy, refuse, empty and destroy through the npm scripts; then one apply (and a destroy) each. */
const FIRST: readonly RegExp[] = [
  /scripts\/deploy-destroy\.e2e\.test\.ts$/,
  /e2e\/pipeline\.e2e\.test\.ts$/,
  /presets\/presets\.e2e\.test\.ts$/,
  /upgrade\/upgrade\.test\.ts$/,
  /\.e2e\.test\.ts$/,
  /-plan\.test\.ts$|security-posture\.test\.ts$/,
];

const rank = (file: string): number => {
  const index = FIRST.findIndex((pattern) => pattern.test(file));
  return index === -1 ? FIRST.length : index;
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byVitest = await super.sort(files);
    const position = new Map(byVitest.map((f, i) => [f, i]));
    return [...byVitest].sort((a, b) => rank(a.moduleId) - rank(b.moduleId) || position.get(a)! - position.get(b)!);
  }
}
