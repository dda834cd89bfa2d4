// Runs first in every npm script that needs node_modules, and in cdktf.json's
// app. Without it, a fresh clone answers `npm run deploy` with
// "sh: tsx: not found" and `cdktf synth` with a stack trace; with it, the
// first line says what to do. Plain Node, no dependencies: it must work
// before `npm ci`.
//
// Checks: the Node.js version package.json's "engines" asks for, and that
// every dependency of the project and its workspaces is installed at the
// exact version package.json pins (a pull that changed package-lock.json
// needs `npm ci` again).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const rootPackage = readJson(join(root, "package.json"));

function fail(lines) {
  process.stderr.write(`${lines.join("\n")}\n`);
  process.exit(1);
}

const wantedNode = /^>=\s*(\d+)/.exec(rootPackage.engines?.node ?? "")?.[1];
const actualNode = Number(process.versions.node.split(".")[0]);
if (wantedNode !== undefined && actualNode < Number(wantedNode)) {
  fail([`${rootPackage.name}: Node.js ${process.versions.node} is too old; this project needs Node.js ${wantedNode} or later.`]);
}

/** [package folder, its package.json] for the project and each workspace. */
const packages = [[root, rootPackage], ...(rootPackage.workspaces ?? []).map((ws) => [join(root, ws), readJson(join(root, ws, "package.json"))])];
const missing = [];
const stale = [];
for (const [dir, pkg] of packages) {
  for (const [name, spec] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    // Node's resolution: the package's own node_modules, then the project's (where npm hoists workspace dependencies).
    const manifest = [join(dir, "node_modules", name, "package.json"), join(root, "node_modules", name, "package.json")].find(existsSync);
    if (manifest === undefined) missing.push(name);
    else if (/^\d+\.\d+\.\d+$/.test(spec) && readJson(manifest).version !== spec) {
      stale.push(`${name} is ${readJson(manifest).version}, ${relative(root, join(dir, "package.json")) || "package.json"} pins ${spec}`);
    }
  }
}
if (missing.length > 0) {
  const more = missing.length > 1 ? `, and ${missing.length - 1} more` : "";
  fail([
    `${rootPackage.name}: dependencies are not installed (node_modules/${missing[0]} is missing${more}).`,
    `Run \`npm ci\` first, in ${root}: it installs the exact versions package-lock.json pins.`,
  ]);
}
if (stale.length > 0) {
  fail([`${rootPackage.name}: node_modules is out of date (${stale.join("; ")}).`, `Run \`npm ci\` again, in ${root}.`]);
}
