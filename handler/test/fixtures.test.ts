/**
 * What recipients receive, committed as readable text: a change in formatting
 * shows up in the pull request as a diff of these files. Regenerate with
 * UPDATE_FIXTURES=1 npx vitest run handler/test/fixtures.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatAlert, type Alert } from "../src/core/index.js";
import { loadRecord, toEventBridgeEvent } from "./support/samples.js";

const FIXTURES = fileURLToPath(new URL("../__fixtures__/", import.meta.url));

const examples = [
  ["root-console-sign-in", "events/signin/ConsoleLogin__5.json"],
  ["iam-user-create-access-key", "events/iam/CreateAccessKey__1.json"],
  ["assumed-role-access-denied", "events/organizations/LeaveOrganization__1.json"],
] as const;

/** Subject, attributes and message exactly as published. */
function render(alert: Alert): string {
  const attributes = Object.entries(alert.attributes).map(([name, value]) => `  ${name} = ${value}`);
  return [`Subject: ${alert.subject}`, "Message attributes:", ...attributes, "Message:", alert.message].join("\n");
}

describe("rendered alerts match the committed fixtures", () => {
  it.each(examples)("%s", (name, sample) => {
    const file = `${FIXTURES}${name}.txt`;
    const actual = render(formatAlert(toEventBridgeEvent(loadRecord(sample))));

    if (process.env["UPDATE_FIXTURES"] === "1") writeFileSync(file, actual);

    expect(existsSync(file), `${file} is missing; run with UPDATE_FIXTURES=1 and review it`).toBe(true);
    expect(actual).toBe(readFileSync(file, "utf8"));
  });
});
