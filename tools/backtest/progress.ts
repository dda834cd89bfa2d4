/**
 * Progress on standard error, never standard output: a bar redrawn in place
 * when stderr is a terminal, else a plain line every 10 seconds (quiet for
 * short runs, readable in CI logs).
 */
import { count, bytes } from "./format";

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  update(files: number, records: number, readBytes: number): void;
  done(): void;
}

export function progress(stream: ProgressStream, totalFiles: number | undefined, now: () => number = Date.now): Progress {
  const start = now();
  const every = stream.isTTY === true ? 100 : 10_000;
  let last = start;
  let drawn = false;
  const line = (files: number, records: number, readBytes: number): string => {
    const seconds = Math.max((now() - start) / 1000, 1e-3);
    const stats = `${count(files)}${totalFiles !== undefined ? `/${count(totalFiles)}` : ""} files, ${count(records)} records, ${bytes(readBytes)}, ${count(records / seconds)} records/s`;
    if (totalFiles === undefined || totalFiles === 0) return `backtest: ${stats}`;
    const width = 24;
    const filled = Math.round((width * files) / totalFiles);
    return `backtest [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round((100 * files) / totalFiles)}% ${stats}`;
  };
  return {
    update(files, records, readBytes) {
      const t = now();
      if (t - last < every) return;
      last = t;
      if (stream.isTTY === true) {
        stream.write(`\r${line(files, records, readBytes).slice(0, (stream.columns ?? 120) - 1)}\x1b[K`);
        drawn = true;
      } else {
        stream.write(`${line(files, records, readBytes)}\n`);
      }
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
