import { presetRules } from "./rule-keys";
import type { DeploymentNames, EventPattern } from "./types";

/**
 * The one pattern a watched region forwards to the alerting region: a
 * top-level `$or` that covers every regional part, coarsely (by source,
 * detail-type and event name, without this deployment's names or the
 * presets' finer conditions), so that the rules in the alerting region do
 * the precise matching. One rule per region, because a rule delivers a
 * matching event once however many branches match: with one forwarding rule
 * per part, an event two parts share (root calling StopLogging on this trail)
 * would reach the alerting region twice and alert twice per rule.
 * Parts without a single source and event-name list (root activity,
 * unauthorized calls) are included as they are.
 */
export function forwardingPattern(): EventPattern {
  interface Group {
    source: string;
    detailType: string[];
    names: (string | EventPattern)[];
  }
  const bySource = new Map<string, Group>();
  const others: EventPattern[] = [];
  for (const { part } of presetRules().filter((r) => r.part.scope === "regional")) {
    const pattern = part.pattern(FORWARDING_NAMES);
    const sources = pattern.source as string[] | undefined;
    const names = pattern.detail?.eventName as (string | EventPattern)[] | undefined;
    if (sources?.length === 1 && names !== undefined) {
      const key = `${sources[0]} ${JSON.stringify(pattern["detail-type"])}`;
      const group: Group = bySource.get(key) ?? { source: sources[0]!, detailType: pattern["detail-type"], names: [] };
      for (const name of names) if (!group.names.some((n) => JSON.stringify(n) === JSON.stringify(name))) group.names.push(name);
      bySource.set(key, group);
    } else if (!others.some((o) => JSON.stringify(o) === JSON.stringify(pattern))) {
      others.push(pattern);
    }
  }
  return {
    $or: [
      ...[...bySource.values()].map((g) => ({
        source: [g.source],
        "detail-type": g.detailType,
        detail: { eventName: FORWARDED_NAME_WILDCARDS[g.source]?.map((wildcard) => ({ wildcard })) ?? g.names },
      })),
      ...others,
    ],
  };
}

/**
 * Event names forwarded by wildcard, to keep the forwarding pattern under
 * EventBridge's default 2048-character pattern quota: CIS CloudWatch.10-14's
 * 36 EC2 names all contain one of these words. Coarser on purpose (the
 * alerting region's rules match the exact names); a unit test checks that
 * every name a regional part asks for is covered.
 */
export const FORWARDED_NAME_WILDCARDS: Readonly<Record<string, readonly string[]>> = {
  "aws.ec2": ["*SecurityGroup*", "*NetworkAcl*", "*Gateway*", "*Route*", "*Vpc*"],
};

/** Placeholder names: the forwarding pattern does not use them (it keeps only source, detail-type and event names). */
const FORWARDING_NAMES: DeploymentNames = {
  namePrefix: "-",
  trailName: "-",
  logBucketName: "-",
  accessLogBucketName: "-",
  functionName: "-",
  topicArn: "-",
};
