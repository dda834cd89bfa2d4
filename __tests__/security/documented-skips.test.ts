/**
 * Every Checkov check the stack deliberately does not meet is documented
 * twice: next to the resource in code, and in the README's "Checks
 * deliberately not applied" list, with the reason. A skip in one place only
 * (or a README entry without a code comment) fails here.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../support/synth";

/** Each documented skip and the file of the resource it concerns. */
const SKIPS: readonly { readonly check: string; readonly file: string }[] = [
  { check: "CKV_AWS_117", file: "src/delivery/notifier-function.ts" },
  { check: "CKV_AWS_272", file: "src/delivery/notifier-function.ts" },
  { check: "CKV_AWS_144", file: "src/audit/log-bucket.ts" },
  { check: "CKV2_AWS_62", file: "src/audit/log-bucket.ts" },
  { check: "CKV_AWS_18", file: "src/audit/access-log-bucket.ts" },
  { check: "CKV_AWS_145", file: "src/audit/access-log-bucket.ts" },
  { check: "CKV_AWS_252", file: "src/audit/audit-trail.ts" },
];

const CHECK_ID = /CKV2?_AWS_\d+/g;
const checksIn = (text: string): string[] => [...text.matchAll(CHECK_ID)].map((m) => m[0]);

/** The README's list of skips: each bullet under "Checks deliberately not applied". */
function readmeSkips(): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("Checks deliberately not applied");
  if (start < 0) throw new Error('README.md has no "Checks deliberately not applied" list');
  const lines = readme.slice(start).split("\n").slice(1);
  const bullets: string[] = [];
  for (const line of lines.slice(lines.findIndex((l) => l.startsWith("- ")))) {
    if (!line.startsWith("- ")) break;
    bullets.push(line);
  }
  return bullets;
}

describe("documented Checkov skips", () => {
  const bullets = readmeSkips();

  it.each(SKIPS)("$check is in the README's list with a reason", ({ check }) => {
    const bullet = bullets.find((b) => checksIn(b).includes(check));
    expect(bullet, `no README bullet names ${check}`).toBeDefined();
    expect(bullet!.split(":").slice(1).join(":").trim().length, check).toBeGreaterThan(40);
  });

  it.each(SKIPS)("$check is explained next to the resource, in $file", ({ check, file }) => {
    expect(readFileSync(join(PROJECT_ROOT, file), "utf8")).toContain(check);
  });

  it("the README lists no Checkov skip that the code does not document", () => {
    const listed = bullets.flatMap(checksIn);
    expect([...new Set(listed)].sort()).toEqual(SKIPS.map((s) => s.check).sort());
  });

  it("CKV_AWS_145 and CKV_AWS_252 cite the AWS documentation of the behaviour they rely on", () => {
    const cites = (check: string, url: string): void => {
      expect(bullets.find((b) => b.includes(check))).toContain(url);
    };
    cites("CKV_AWS_145", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html");
    cites("CKV_AWS_252", "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/configure-sns-notifications-for-cloudtrail.html");
  });
});
