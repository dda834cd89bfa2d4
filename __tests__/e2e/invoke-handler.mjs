// Runs a Lambda handler module on a list of events, one invocation after the
// other in one process (one warm execution environment, as Lambda reuses it).
// Usage: node invoke-handler.mjs MODULE EXPORT EVENTS.json RESULTS.json
// The handler's own logs go to stdout/stderr; outcomes go to RESULTS.json.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [modulePath, exportName, eventsFile, resultsFile] = process.argv.slice(2);
const mod = await import(pathToFileURL(modulePath).href);
const handler = mod[exportName];
if (typeof handler !== "function") {
  throw new Error(`${modulePath} does not export a function named ${exportName}`);
}

const events = JSON.parse(readFileSync(eventsFile, "utf8"));
const outcomes = [];
for (const [i, event] of events.entries()) {
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    awsRequestId: `e2e-invocation-${i}`,
    getRemainingTimeInMillis: () => 30_000,
  };
  try {
    outcomes.push({ ok: true, value: await handler(event, context) });
  } catch (err) {
    outcomes.push({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}
writeFileSync(resultsFile, JSON.stringify(outcomes));
