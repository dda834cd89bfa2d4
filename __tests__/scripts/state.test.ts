/**
 * How `npm run destroy` reads the state (`terraform state pull`, scripts/lib/state.ts):
 * the managed resources, one per instance, at the addresses Terraform prints.
 * The deploy/destroy run on the emulator (deploy-destroy.e2e.test.ts) reads a real state with it.
 */
import { describe, expect, it } from "vitest";
import { resourcesOfState } from "../../scripts/lib/state";

const state = (resources: unknown[], version = 4): string => JSON.stringify({ version, terraform_version: "1.11.4", serial: 3, lineage: "x", outputs: {}, resources });

describe("the state as terraform state pull gives it", () => {
  it("nothing applied yet (empty output): no resources", () => {
    expect(resourcesOfState("")).toEqual([]);
    expect(resourcesOfState("\n")).toEqual([]);
  });

  it("one resource per instance, addressed with its index key; data sources left out", () => {
    const resources = resourcesOfState(
      state([
        { mode: "managed", type: "aws_s3_bucket", name: "log_bucket_bucket", provider: "p", instances: [{ schema_version: 0, attributes: { bucket: "logs" } }] },
        { mode: "managed", type: "aws_cloudtrail", name: "audit_trail_trail", provider: "p", instances: [{ index_key: 0, attributes: { name: "trail" } }] },
        {
          mode: "managed",
          type: "aws_sns_topic_subscription",
          name: "alert_topic_email",
          provider: "p",
          instances: [{ index_key: "a@example.com", attributes: {} }, { index_key: "b@example.com", attributes: {} }],
        },
        { mode: "data", type: "aws_caller_identity", name: "current", provider: "p", instances: [{ attributes: {} }] },
        { module: "module.extra", mode: "managed", type: "aws_sqs_queue", name: "q", provider: "p", instances: [{ attributes: {} }] },
      ]),
    );
    expect(resources.map((r) => r.address)).toEqual([
      "aws_s3_bucket.log_bucket_bucket",
      "aws_cloudtrail.audit_trail_trail[0]",
      'aws_sns_topic_subscription.alert_topic_email["a@example.com"]',
      'aws_sns_topic_subscription.alert_topic_email["b@example.com"]',
      "module.extra.aws_sqs_queue.q",
    ]);
    expect(resources[0]).toEqual({ address: "aws_s3_bucket.log_bucket_bucket", type: "aws_s3_bucket", values: { bucket: "logs" } });
  });

  it("a destroyed stack (resources left empty): none", () => {
    expect(resourcesOfState(state([]))).toEqual([]);
  });

  it("another state format version is an error naming it", () => {
    expect(() => resourcesOfState(state([], 3))).toThrow(/state format version 3/);
  });
});
