/**
 * The backtest proper: each record, wrapped as EventBridge delivers it,
 * routed to us-east-1 as the deployment would route it, against each rule.
 */
import type { Deployment } from "./deployment";
import type { ParsedFile } from "./records";
import { Stats } from "./stats";
import { inWindow, type TimeWindow } from "./window";
import { readOnlyManagementEvent, toEventBridgeEvent, type CloudTrailRecord } from "./wrap";

export class Backtest {
  readonly stats: Stats;

  constructor(
    private readonly deployment: Deployment,
    private readonly window: TimeWindow,
  ) {
    this.stats = new Stats(deployment.rules);
  }

  addFile(parsed: ParsedFile): void {
    const c = this.stats.counters;
    c.files += 1;
    c.bytes += parsed.bytes;
    if (parsed.records === undefined) c.otherFiles += 1;
    else for (const record of parsed.records) this.add(record);
  }

  add(record: CloudTrailRecord): void {
    const c = this.stats.counters;
    c.read += 1;
    if (!inWindow(this.window, record["eventTime"])) return;
    c.records += 1;
    const event = toEventBridgeEvent(record);
    if (event === undefined) {
      c.notDelivered += 1;
      return;
    }
    if (event.time !== undefined) this.stats.sawTime(event.time);
    const readOnly = readOnlyManagementEvent(record, event["detail-type"]);
    const route = this.deployment.route(event.region);
    // The forwarding rules are ENABLED too: read-only events are not forwarded either.
    const delivered = route.kind === "alerting" || (route.kind === "forwarded" && !readOnly && route.pattern.matches(event));
    if (readOnly) c.readOnly += 1;
    if (delivered) c.delivered += 1;
    else c.notForwarded += 1;
    for (const { rule, compiled } of this.deployment.rulesFor(event.account)) {
      if (readOnly && !rule.allManagementEvents) continue;
      if (!compiled.matches(event)) continue;
      if (delivered) this.stats.alert(rule, event);
      else this.stats.unwatched(rule);
    }
  }
}
