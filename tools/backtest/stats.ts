/** What the backtest counts as it goes: per rule, and the principals behind suppressible alerts. */
import { actorOf, ignorablePrincipalOf } from "./actors";
import { BoundedCounter } from "./counter";
import type { DeployedRule } from "./deployed-rule";
import type { EventBridgeEvent } from "./wrap";

/** How many alerts of each rule are kept to be rendered as the notifier would send them. */
export const KEPT_ALERTS = 3;

export class RuleStats {
  alerts = 0;
  /** Alerts its pattern matched in regions that reach no rule (not watched, or not forwarded). */
  unwatched = 0;
  readonly perDay = new Map<string, number>();
  readonly actors = new BoundedCounter();
  readonly first: EventBridgeEvent[] = [];

  constructor(readonly rule: DeployedRule) {}
}

export interface Counters {
  files: number;
  /** Files without a Records array (digests and the like). */
  otherFiles: number;
  bytes: number;
  /** Records read in total. */
  read: number;
  /** Of those, in the --since/--until window: what the backtest evaluates. */
  records: number;
  /** No EventBridge event at all (an event type EventBridge does not receive). */
  notDelivered: number;
  /** Read-only management events, which ENABLED rules never receive. */
  readOnly: number;
  /** Events of regions that do not reach us-east-1 (not watched, or not matching the forwarding pattern). */
  notForwarded: number;
  /** Delivered to us-east-1's bus. */
  delivered: number;
  firstTime?: string;
  lastTime?: string;
}

export class Stats {
  readonly rules = new Map<string, RuleStats>();
  /** Alerts of suppressible rules by the principal `ignored_principal_arns` would name. */
  readonly suppressible = new BoundedCounter();
  suppressibleAlerts = 0;
  readonly counters: Counters = { files: 0, otherFiles: 0, bytes: 0, read: 0, records: 0, notDelivered: 0, readOnly: 0, notForwarded: 0, delivered: 0 };
  /** Records per UTC day: the days the logs cover, which alerts per day are counted over. */
  readonly recordsPerDay = new Map<string, number>();

  constructor(rules: readonly DeployedRule[]) {
    for (const rule of rules) this.rules.set(rule.name, new RuleStats(rule));
  }

  private of(rule: DeployedRule): RuleStats {
    const known = this.rules.get(rule.name);
    if (known !== undefined) return known;
    const stats = new RuleStats(rule);
    this.rules.set(rule.name, stats);
    return stats;
  }

  alert(rule: DeployedRule, event: EventBridgeEvent): void {
    const stats = this.of(rule);
    stats.alerts += 1;
    const day = typeof event.time === "string" ? event.time.slice(0, 10) : "unknown";
    stats.perDay.set(day, (stats.perDay.get(day) ?? 0) + 1);
    stats.actors.add(actorOf(event.detail));
    if (stats.first.length < KEPT_ALERTS) stats.first.push(event);
    if (rule.suppressible) {
      this.suppressibleAlerts += 1;
      const principal = ignorablePrincipalOf(event.detail);
      if (principal !== undefined) this.suppressible.add(principal);
    }
  }

  unwatched(rule: DeployedRule): void {
    this.of(rule).unwatched += 1;
  }

  sawTime(time: string): void {
    const day = time.slice(0, 10);
    this.recordsPerDay.set(day, (this.recordsPerDay.get(day) ?? 0) + 1);
    const c = this.counters;
    if (c.firstTime === undefined || time < c.firstTime) c.firstTime = time;
    if (c.lastTime === undefined || time > c.lastTime) c.lastTime = time;
  }
}
