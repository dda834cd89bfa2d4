/** Log files under a local folder, depth first in name order, pruned by the dated layout. */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { LogFile, LogSource } from "./log-source";
import { folderMayHold, isLogFileName, skippedFolder, type TimeWindow } from "./window";

export function localLogs(root: string, window: TimeWindow): LogSource {
  const file = (path: string, size?: number): LogFile => ({ name: path, ...(size !== undefined ? { size } : {}), read: () => readFile(path) });
  return {
    description: root,
    async check() {
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(root);
      } catch {
        throw new Error(`--logs ${root}: no such folder`);
      }
      if (!info.isDirectory() && !info.isFile()) throw new Error(`--logs ${root}: not a folder`);
    },
    async *files() {
      const info = await stat(root);
      if (info.isFile()) {
        yield file(root, info.size);
        return;
      }
      async function* walk(dir: string): AsyncGenerator<LogFile> {
        const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
          const path = join(dir, entry.name);
          const rel = relative(root, path).split(sep).join("/");
          if (entry.isDirectory()) {
            if (!skippedFolder(rel) && folderMayHold(window, rel)) yield* walk(path);
          } else if (entry.isFile() && isLogFileName(entry.name)) {
            yield file(path);
          }
        }
      }
      yield* walk(root);
    },
  };
}
