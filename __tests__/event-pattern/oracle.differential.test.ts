/**
 * The matcher against AWS's own matching library (aws/event-ruler, the
 * oracle in ../shared/tools/eventbridge-oracle): same patterns, same events,
 * identical verdicts and identical valid/invalid decisions.
 *
 * 1. Every pattern the stack plans × every CloudTrail record of the fixture
 *    corpus, wrapped as EventBridge delivers it. One oracle run.
 * 2. fast-check generated patterns × generated events, with a fixed seed.
 *    Each pattern lives under a key of its own (and each event is repeated
 *    under every key), so that all patterns share one oracle run without
 *    sharing a field: AWS's library lets rules on the same field disturb each
 *    other (README of tools/event-pattern, "Known differences").
 *
 * Skips, loudly, only where Java or the oracle is missing.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { locateOracle } from "../support/oracle";
import { differential, type DifferentialResult } from "./differential";
import { eventArb, patternArb } from "./arbitraries";
import { stackPatterns } from "./stack-patterns";
import { fixtureRecords } from "./fixture-records";
import { toEventBridgeEvent } from "../../tools/backtest/wrap";

const oracle = locateOracle();
if (oracle.runScript === undefined) {
  console.warn(`\n*** SKIPPING the EventBridge oracle differential test: missing ${oracle.missing.join(" and ")} ***\n`);
}

const SEED = 20_240_617;
const GENERATED = 150;

const summary = (label: string, r: DifferentialResult): string =>
  `${label}: ${r.patterns} patterns (${r.validPatterns} valid, ${r.invalidPatterns} invalid) × ${r.events} events = ` +
  `${r.verdicts} verdicts compared, ${r.matched} matches, ${r.disagreements.length} disagreements`;

describe.skipIf(oracle.runScript === undefined)("the matcher agrees with AWS's library (oracle)", () => {
  it("on every pattern the stack plans × every CloudTrail fixture record", async () => {
    const records = await fixtureRecords();
    const events = records.flatMap(({ label, record }) => {
      const event = toEventBridgeEvent(record);
      return event === undefined ? [] : [{ id: label, event }];
    });

    const result = differential(oracle.runScript!, { patterns: stackPatterns(), events });

    console.log(summary("stack patterns × fixture records", result));
    expect(result.disagreements).toEqual([]);
    expect(result.invalidPatterns).toBe(0);
    expect(result.events).toBe(records.length);
    expect(result.matched).toBeGreaterThan(0);
  });

  it(`on ${GENERATED} generated patterns × ${GENERATED} generated events (fast-check, seed ${SEED})`, () => {
    const patterns = fc.sample(patternArb, { seed: SEED, numRuns: GENERATED });
    const events = fc.sample(eventArb, { seed: SEED + 1, numRuns: GENERATED });
    const keys = patterns.map((_, i) => `p${i}`);

    const result = differential(oracle.runScript!, {
      patterns: Object.fromEntries(patterns.map((pattern, i) => [keys[i]!, { [keys[i]!]: pattern }])),
      events: events.map((event, i) => ({ id: `e${i}`, event: Object.fromEntries(keys.map((key) => [key, event])) })),
    });

    console.log(summary("generated patterns × generated events", result));
    expect(result.disagreements).toEqual([]);
    // The generators are tuned so that both decisions and both verdicts occur often enough to matter.
    expect(result.validPatterns).toBeGreaterThan(GENERATED / 3);
    expect(result.invalidPatterns).toBeGreaterThan(GENERATED / 10);
    expect(result.matched).toBeGreaterThan(100);
  });
});
