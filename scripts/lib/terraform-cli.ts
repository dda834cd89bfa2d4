/**
 * The Terraform CLI, run the way these scripts need it: Terraform's own
 * output streamed as it comes, its diagnostics kept so that a failure can be
 * reported with the errors first, never buried under a partial plan.
 *
 * Terraform runs with the user's own configuration (CLI config, provider
 * mirrors, credentials, backend). Added to its environment: no update check
 * (CHECKPOINT_DISABLE: offline machines otherwise print `getaddrinfo
 * ENOTFOUND checkpoint-api.hashicorp.com`), TF_IN_AUTOMATION (no advice to
 * type commands the script runs itself), and, when the output is not a
 * terminal, -no-color so that logs carry no escape codes.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { plainOutput } from "../../tools/terraform-inputs";
import { UserError } from "./project";

export interface RunOptions {
  /** Where Terraform's stdout goes. @default process.stdout */
  readonly sink?: NodeJS.WritableStream;
  /** Keep stdout to return it, showing nothing. */
  readonly capture?: boolean;
  /**
   * Stream progress, but hold back the plan itself until Terraform exits: shown
   * when planning succeeded, returned (not shown) when it failed, so that the
   * errors come first instead of after a thousand lines of partial plan.
   */
  readonly holdPlan?: boolean;
}

export interface RunResult {
  readonly code: number;
  /** Captured stdout, or the held-back plan. */
  readonly stdout: string;
  /** Everything Terraform wrote to stderr (its error diagnostics). */
  readonly stderr: string;
}

/** First lines of the plan proper (Terraform 1.x), after which nothing more is progress. */
const PLAN_STARTS = /^(Terraform used the selected providers|Terraform planned the following actions|Terraform will perform the following actions|No changes\.|Changes to Outputs:)/;

export class TerraformCli {
  /** When false: -no-color. */
  readonly interactive: boolean;

  private readonly baseEnv: NodeJS.ProcessEnv;

  constructor(
    readonly cwd: string,
    options: { readonly interactive?: boolean; readonly env?: NodeJS.ProcessEnv } = {},
  ) {
    this.interactive = options.interactive ?? process.stdout.isTTY === true;
    this.baseEnv = options.env ?? process.env;
  }

  /** Flags every command here gets: never prompt (the scripts ask themselves), colour only on a terminal. */
  private flags(args: readonly string[]): string[] {
    // `state` has subcommands (`state pull`): flags follow the subcommand.
    const words = args[0] === "state" ? 2 : 1;
    const [command, rest] = [args.slice(0, words), args.slice(words)];
    // `show`, `output` and `state` take no -input.
    const input = ["show", "output", "state"].includes(command[0]!) ? [] : ["-input=false"];
    const color = this.interactive || rest.includes("-no-color") ? [] : ["-no-color"];
    return [...command, ...input, ...color, ...rest];
  }

  /**
   * TF_IN_AUTOMATION even on a terminal: it only drops Terraform's advice on
   * what to type next ("run terraform apply deploy.tfplan"), which is wrong
   * advice when this script asks and applies itself.
   */
  get env(): NodeJS.ProcessEnv {
    return { ...this.baseEnv, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  }

  run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const sink = options.sink ?? process.stdout;
    const finalArgs = this.flags(args);
    return new Promise((resolve, reject) => {
      const child = spawn("terraform", finalArgs, { cwd: this.cwd, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
      // Ctrl-C reaches Terraform too (same process group): let it stop gracefully and release the state lock,
      // and report how it ended, instead of exiting under it.
      const keepRunning = (): void => {};
      process.on("SIGINT", keepRunning);
      let stderr = "";
      let kept = "";
      let holding = false;
      let partial = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on("data", (chunk: Buffer) => {
        const text = chunk.toString();
        if (options.capture) {
          kept += text;
          return;
        }
        if (!options.holdPlan) {
          sink.write(text);
          return;
        }
        // Line by line, so the switch to holding happens exactly at the plan's first line.
        const lines = (partial + text).split("\n");
        partial = lines.pop()!;
        for (const line of lines) {
          if (!holding && PLAN_STARTS.test(plainOutput(line))) holding = true;
          if (holding) kept += `${line}\n`;
          else sink.write(`${line}\n`);
        }
      });
      child.once("error", (err: NodeJS.ErrnoException) => {
        process.off("SIGINT", keepRunning);
        reject(
          new UserError(
            err.code === "ENOENT" && existsSync(this.cwd)
              ? "terraform was not found on PATH: install Terraform 1.10 or later (https://developer.hashicorp.com/terraform/install)"
              : `terraform could not be started in ${this.cwd}: ${err.message}`,
          ),
        );
      });
      child.once("close", (code) => {
        process.off("SIGINT", keepRunning);
        if (partial !== "") {
          if (holding || options.capture) kept += partial;
          else sink.write(partial);
        }
        // With -detailed-exitcode, 2 means "succeeded, with changes".
        const failed = code !== 0 && !(code === 2 && finalArgs.includes("-detailed-exitcode"));
        if (options.holdPlan && !failed) sink.write(kept);
        // Warnings Terraform sends to stderr (e.g. about the CLI configuration) are shown when it succeeded; on failure the caller prints the errors.
        if (!options.capture && !failed && stderr.trim() !== "") process.stderr.write(stderr);
        resolve({ code: code ?? 1, stdout: kept, stderr });
      });
    });
  }

  /** Runs and resolves with stdout; a failure rejects with Terraform's diagnostics. */
  async output(args: readonly string[]): Promise<string> {
    const result = await this.run(args, { capture: true });
    if (result.code !== 0) throw new TerraformError(args, result);
    return result.stdout;
  }
}

/** Terraform exited non-zero; `result.stderr` holds its diagnostics. */
export class TerraformError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: RunResult,
    /** Said after the errors, e.g. where the partial plan went. */
    readonly note?: string,
  ) {
    super(`terraform ${args[0]} failed (exit ${result.code})`);
  }
}
