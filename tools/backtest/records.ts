/**
 * Log files → CloudTrail records, with a few files read and decompressed
 * ahead (zlib works off the main thread) while the current one is parsed and
 * matched. Memory holds at most `ahead` + 1 files' records: bounded by the
 * largest log file, whatever the total size.
 */
import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import type { LogFile } from "./log-source";
import type { CloudTrailRecord } from "./wrap";

const gunzipAsync = promisify(gunzip);

export interface ParsedFile {
  readonly file: LogFile;
  readonly bytes: number;
  /** Undefined when the file holds no `Records` array (a digest, or something else). */
  readonly records?: readonly CloudTrailRecord[];
}

/** gzip by its magic bytes, whatever the name says. */
export async function decode(raw: Buffer): Promise<Buffer> {
  return raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? gunzipAsync(raw) : raw;
}

export function recordsOf(text: Buffer, name: string): CloudTrailRecord[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString("utf8"));
  } catch (err: unknown) {
    throw new Error(`${name} is not JSON: ${(err as Error).message}`);
  }
  const records = typeof parsed === "object" && parsed !== null ? (parsed as { Records?: unknown }).Records : undefined;
  return Array.isArray(records) ? (records as CloudTrailRecord[]) : undefined;
}

export async function* parsedFiles(files: AsyncIterable<LogFile>, ahead = 4): AsyncGenerator<ParsedFile> {
  const queue: Promise<{ file: LogFile; text: Buffer; bytes: number }>[] = [];
  const iterator = files[Symbol.asyncIterator]();
  let done = false;
  const fill = async (): Promise<void> => {
    while (!done && queue.length < ahead) {
      const next = await iterator.next();
      if (next.done === true) {
        done = true;
        return;
      }
      const file = next.value;
      const loading = file.read().then(async (raw) => ({ file, text: await decode(raw), bytes: raw.length }));
      loading.catch(() => undefined); // surfaced when awaited below
      queue.push(loading);
    }
  };
  await fill();
  while (queue.length > 0) {
    const { file, text, bytes } = await queue.shift()!;
    const filling = fill();
    const records = recordsOf(text, file.name);
    yield { file, bytes, ...(records !== undefined ? { records } : {}) };
    await filling;
  }
}
