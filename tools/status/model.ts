/**
 * What `npm run status` reports: one line per thing that must be working
 * for alerts to reach people, each healthy or not. Pure: no AWS calls here.
 */
export type Area = "subscriptions" | "rules" | "trail" | "notifier" | "alarms" | "dead-letter queues" | "heartbeat";

/** The order the screen shows the areas in: from where alerts are read back to where they start. */
export const AREAS: readonly Area[] = ["subscriptions", "notifier", "rules", "trail", "alarms", "dead-letter queues", "heartbeat"];

export interface Check {
  readonly area: Area;
  readonly region: string;
  /** What is checked: a subscription's endpoint, a rule's, alarm's, queue's or function's name. */
  readonly name: string;
  /** What was found, in a few words ("confirmed", "DISABLED", "3 messages", ...). */
  readonly state: string;
  readonly healthy: boolean;
  /** What to do about it, when not healthy; or a remark. */
  readonly note?: string;
}

export interface StatusReport {
  readonly applicationName: string;
  readonly at: Date;
  readonly checks: readonly Check[];
}

export const problems = (report: StatusReport): Check[] => report.checks.filter((c) => !c.healthy);
export const isHealthy = (report: StatusReport): boolean => problems(report).length === 0;

/** Exit codes of `npm run status`. */
export const EXIT = { healthy: 0, unhealthy: 1, error: 2 } as const;

/** "8 minutes ago", "2 hours ago". */
export function ago(then: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - then.getTime()) / 60_000));
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  return `${Math.round(minutes / 60)} hours ago`;
}
