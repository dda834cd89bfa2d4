/**
 * `npm run e2e`: the end-to-end run on the moto emulator
 * (__tests__/e2e/pipeline.e2e.test.ts) and nothing else.
 *
 * Inside `npm test` the suite skips, with a loud warning, when `terraform` or
 * `moto_server` is missing. Asked for by name, a skip would look like a pass,
 * so here a missing tool is an error that says what to install.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { missingTools } from "../__tests__/e2e/harness";

const root = join(__dirname, "..");
const missing = missingTools();
if (missing.length > 0) {
  console.error(
    `npm run e2e needs ${missing.join(" and ")} on PATH (not found).\n` +
      "  terraform:   https://developer.hashicorp.com/terraform/install (1.10 or later)\n" +
      '  moto_server: pip install "moto[server]"',
  );
  process.exit(1);
}

const vitest = spawnSync(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "__tests__/e2e"], {
  cwd: root,
  stdio: "inherit",
});
process.exit(vitest.status ?? 1);
