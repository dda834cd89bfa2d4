/**
 * Property-based: the invariants of issue #13 (support/invariants.ts) over
 * generated hostile events and over mutations of the repository's CloudTrail
 * corpus, on the pure core and through the glue with the real SDK. The seed
 * is fixed and the runs bounded, so CI sees the same few hundred cases every
 * time, in a few seconds. To explore, change SEED locally; a failure prints
 * the seed and the shrunk counterexample.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatAlert, unwrapLabelled } from "../src/core/index.js";
import { createHandler } from "../src/handler.js";
import { createLogger } from "../src/logger.js";
import { hostileEvent, mutatedFixture, type Delivered } from "./support/arbitraries.js";
import { allProblems, publishProblems } from "./support/invariants.js";
import { loadRecord, toEventBridgeEvent } from "./support/samples.js";
import { startSnsServer, type SnsServer } from "./support/sns-server.js";

const SEED = 13;

/** Formats what the handler would format, and fails with every broken invariant named. */
function checkCore({ event }: Delivered): void {
  const { event: inner, context } = unwrapLabelled(event);
  const problems = allProblems(formatAlert(inner, context), inner);
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

describe("the pure core, on generated input", () => {
  it("every hostile event gives one alert that SNS accepts and whose first lines cannot be forged", () => {
    fc.assert(fc.property(hostileEvent, checkCore), { seed: SEED, numRuns: 300 });
  });

  it("every mutation of a corpus record gives one alert that SNS accepts and whose first lines cannot be forged", () => {
    fc.assert(fc.property(mutatedFixture, checkCore), { seed: SEED, numRuns: 300 });
  });
});

describe("the glue with the real SDK, on one warm client", () => {
  const ordinary = toEventBridgeEvent(loadRecord("events/iam/CreateAccessKey__1.json"));
  const expectedOrdinary = formatAlert(ordinary).message;
  let server: SnsServer;

  beforeAll(async () => {
    server = await startSnsServer("answer");
  });
  afterAll(async () => {
    await server.close();
  });

  /** The published subject, message and attributes, read back from the request SNS received. */
  function published(body: URLSearchParams) {
    const attributes: Record<string, string> = {};
    for (let n = 1; body.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
      attributes[body.get(`MessageAttributes.entry.${n}.Name`) ?? ""] = body.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? "";
    }
    return { subject: body.get("Subject") ?? "", message: body.get("Message") ?? "", attributes };
  }

  it("publishes each event exactly once, as formatted, and the ordinary event after it intact", async () => {
    const logger = createLogger({ service: "test", write: () => undefined });
    const handler = createHandler({ sns: server.client(), topicArn: "arn:aws:sns:us-east-1:123456789012:alerts", logger });

    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileEvent, mutatedFixture), async ({ event }) => {
        const before = server.requests.length;
        const { event: inner, context } = unwrapLabelled(event);

        await handler(event);
        await handler(ordinary);

        expect(server.requests.length).toBe(before + 2);
        const [hostile, next] = server.requests.slice(-2) as [URLSearchParams, URLSearchParams];
        expect(hostile.getAll("Message")).toEqual([formatAlert(inner, context).message]);
        expect(publishProblems(published(hostile))).toEqual([]);
        expect(next.getAll("Message")).toEqual([expectedOrdinary]);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
