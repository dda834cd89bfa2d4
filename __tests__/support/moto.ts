/**
 * Starts a real moto server (AWS API emulator) on a free loopback port for
 * tests that need AWS APIs: STS for the provider during plan, SNS and SQS for
 * the handler bundle, EventBridge and friends for end-to-end runs.
 *
 * Emulator settings are injected from outside through `env()`; nothing of
 * this reaches the production synth.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Environment for the AWS SDK and the Terraform AWS provider. */
  env(region?: string): Record<string, string>;
  /** Wipes all emulated state (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** True when `moto_server` can be run here (the e2e suite skips loudly otherwise). */
export function motoAvailable(): boolean {
  return spawnSync("python3", ["-c", "import moto.server"], { stdio: "ignore" }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      if (address === null || typeof address === "string") {
        reject(new Error("could not read the port of a loopback listener"));
        return;
      }
      srv.close(() => resolve(address.port));
    });
  });
}

async function waitForReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within ${timeoutMs} ms`);
}

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn("python3", [join(__dirname, "moto_launcher.py"), String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitForReady(endpoint, child, 30_000);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    ...connectMoto(endpoint),
    stop: async () => {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      });
    },
  };
}

/** A handle on a moto server someone else started (the global setup): `stop` leaves it running. */
export function connectMoto(endpoint: string): MotoServer {
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    env: (region = "us-east-1") => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_SESSION_TOKEN: "testing",
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EC2_METADATA_DISABLED: "true",
    }),
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    },
    stop: async () => undefined,
  };
}
