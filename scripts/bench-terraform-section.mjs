// The test suite's part of `npm run bench` (BENCH_ONLY=terraform): the CPU
// time of one `terraform plan` + `terraform show -json` of the default
// configuration on the moto emulator, with Go's default garbage collector
// (GOGC=100) beside the GOGC=400 that `npm test` sets (scripts/test.mjs).
// Most of a test run's CPU is Terraform starting the AWS provider, so this is
// the number behind that setting. Needs terraform, the provider mirror and
// moto_server (as the emulator suites do); says what is missing otherwise.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./bench-numbers.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PROVIDER = "registry.terraform.io/hashicorp/aws";
const MIRRORS = [process.env.TF_PROVIDER_MIRROR, "/opt/tf-plugins", "/usr/share/terraform/plugins"].filter(Boolean);

/**
 * CPU seconds (user + system) of the children this process has waited for,
 * from /proc/self/stat (cutime + cstime, in clock ticks; 100 per second on
 * Linux): terraform and the provider processes it waited for.
 */
function childCpuSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function missing() {
  const gone = [];
  if (spawnSync("terraform", ["version"], { stdio: "ignore" }).status !== 0) gone.push("terraform");
  if (spawnSync("python3", ["-c", "import moto.server"], { stdio: "ignore" }).status !== 0) gone.push("moto_server (python3 -m moto.server)");
  if (!MIRRORS.some((m) => existsSync(join(m, PROVIDER, "5.100.0")))) gone.push(`a mirror of ${PROVIDER} 5.100.0 (TF_PROVIDER_MIRROR)`);
  if (!existsSync("/proc/self/stat")) gone.push("/proc (Linux) to read child CPU time");
  return gone;
}

async function waitFor(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto did not answer at ${url}`);
}

export async function terraformBench(rounds = Number(process.env.BENCH_TF_ROUNDS ?? 3)) {
  const gone = missing();
  console.log("\nTest suite: one terraform plan + show -json of the default configuration on moto (CPU of terraform and the provider):");
  if (gone.length > 0) {
    console.log(`skipped: ${gone.join(", ")} not found`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), "bench-terraform-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const moto = spawn("python3", [join(root, "__tests__", "support", "moto_launcher.py"), String(port)], { stdio: "ignore" });
  try {
    await waitFor(`http://127.0.0.1:${port}/moto-api/`, moto);
    const synth = spawnSync(process.execPath, ["--import", "tsx", join(root, "main.ts")], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: join(work, "cdktf.out") },
      encoding: "utf8",
    });
    if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    const stackDir = join(work, "cdktf.out", "stacks", "cloudtrail-alerting");
    const mirror = MIRRORS.find((m) => existsSync(join(m, PROVIDER, "5.100.0")));
    const rc = join(work, "terraform.rc");
    writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n    include = ["${PROVIDER}"]\n  }\n}\n`);
    const base = {
      ...process.env,
      TF_CLI_CONFIG_FILE: rc,
      CHECKPOINT_DISABLE: "1",
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_SESSION_TOKEN: "testing",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const tf = (args, env) => {
      const result = spawnSync("terraform", args, { cwd: stackDir, env, encoding: "utf8", maxBuffer: 1 << 30 });
      if (result.status !== 0) throw new Error(`terraform ${args.join(" ")} failed: ${result.stderr}`);
    };
    tf(["init", "-input=false", "-no-color"], base);
    const measure = (gogc) => {
      const env = { ...base, GOGC: gogc };
      const samples = [];
      for (let i = 0; i < rounds; i++) {
        const cpu0 = childCpuSeconds();
        const t0 = performance.now();
        tf(["plan", "-input=false", "-no-color", "-lock=false", "-out=bench.tfplan"], env);
        tf(["show", "-json", "-no-color", "bench.tfplan"], env);
        samples.push({ cpu: childCpuSeconds() - cpu0, wall: (performance.now() - t0) / 1000 });
      }
      return { cpu: median(samples.map((s) => s.cpu)), wall: median(samples.map((s) => s.wall)) };
    };
    const standard = measure("100");
    const lazier = measure("400");
    console.log(`${"GOGC".padEnd(8)} ${"CPU s".padStart(7)} ${"wall s".padStart(7)}   (median of ${rounds})`);
    console.log(`${"100".padEnd(8)} ${standard.cpu.toFixed(2).padStart(7)} ${standard.wall.toFixed(2).padStart(7)}`);
    console.log(`${"400".padEnd(8)} ${lazier.cpu.toFixed(2).padStart(7)} ${lazier.wall.toFixed(2).padStart(7)}`);
    console.log(`GOGC=400 / GOGC=100 CPU: ${(lazier.cpu / standard.cpu).toFixed(2)}`);
    console.log(`(load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} CPUs)`);
  } finally {
    moto.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  }
}
