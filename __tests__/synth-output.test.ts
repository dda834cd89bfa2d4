/**
 * What ships is reviewable: the production entry point synthesizes the same
 * bytes every time, on any machine, with nothing of the test environment in it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT, synthApp, SynthOutput } from "./support/synth";

const assetOf = (synth: SynthOutput): { path: string; sha256: string } => {
  const json = JSON.parse(synth.json);
  const path: string = Object.values<{ filename: string }>(json.resource.aws_lambda_function)[0].filename;
  const sha256 = createHash("sha256").update(readFileSync(join(synth.stackDir, path))).digest("base64");
  return { path, sha256 };
};

const rebuildHandler = (): void => {
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "handler", "build.mjs")], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`handler build failed: ${result.stderr}`);
};

describe("production synth", () => {
  // Emulator settings present in the environment of the synth must not leak into its output.
  const emulatorEnv = {
    AWS_ENDPOINT_URL: "http://127.0.0.1:45999",
    AWS_ACCESS_KEY_ID: "testing-dummy-key",
    AWS_SECRET_ACCESS_KEY: "testing-dummy-secret",
  };
  let first: SynthOutput;
  let second: SynthOutput;

  beforeAll(() => {
    first = synthApp(emulatorEnv);
    rebuildHandler(); // a fresh build writes new files: the zip must not change with them
    second = synthApp();
  });

  it("is byte-identical across two synths and two handler builds", () => {
    expect(second.json).toBe(first.json);
  });

  it("zips the same bundle to the same bytes, so source_code_hash does not change", () => {
    expect(assetOf(second)).toEqual(assetOf(first));
  });

  it("contains no absolute path of the machine that built it", () => {
    for (const machinePath of [PROJECT_ROOT, first.outdir, tmpdir(), homedir()]) {
      expect(first.json).not.toContain(`${machinePath}/`);
    }
    expect(first.json).not.toMatch(/"\/(home|root|tmp|Users|work)\//);
  });

  it("keeps local state at the project root through a relative path", () => {
    expect(JSON.parse(first.json).terraform.backend).toEqual({
      local: { path: "../../../terraform.cloudtrail-alerting.tfstate" },
    });
  });

  it("contains no emulator endpoint and no credentials", () => {
    for (const value of Object.values(emulatorEnv)) expect(first.json).not.toContain(value);
    expect(first.json).not.toMatch(/127\.0\.0\.1|localhost|"endpoints"|access_key|secret_key|skip_credentials_validation/);
  });

  it("switches to an encrypted, locked S3 backend from the environment, without code changes", () => {
    const remote = synthApp({ TF_STATE_BUCKET: "acme-terraform-state", TF_STATE_REGION: "eu-west-1" });
    expect(JSON.parse(remote.json).terraform.backend).toEqual({
      s3: {
        bucket: "acme-terraform-state",
        key: "cloudtrail-alerting/terraform.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("takes the home region from cdktf.json context", () => {
    const pinned = synthApp({ CDKTF_CONTEXT_JSON: JSON.stringify({ homeRegion: "ap-southeast-2" }) });
    const providers = JSON.parse(pinned.json).provider.aws;
    expect(providers.find((p: { alias?: string }) => p.alias === undefined).region).toBe("ap-southeast-2");
    expect(providers.find((p: { alias?: string }) => p.alias === "alerting").region).toBe("us-east-1");
  });
});
