/**
 * The first alerts of each rule exactly as the notifier would send them: the
 * rule target's input template (preset and severity labels around the
 * event), unwrapped and formatted by the handler's pure core.
 */
import { formatAlert, unwrapLabelled } from "../../handler/src/core/index";
import { labelledInputTemplate } from "../../src/detection/event-rules";
import type { RuleStats } from "./stats";

export interface RenderedAlert {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export function renderedAlerts(stats: RuleStats): RenderedAlert[] {
  const { rule } = stats;
  return stats.first.map((event) => {
    // What EventBridge hands the function: the template with <aws.events.event.json> replaced by the event.
    const input =
      rule.severity !== undefined
        ? JSON.parse(labelledInputTemplate(rule.preset, rule.severity).replace("<aws.events.event.json>", JSON.stringify(event)))
        : event;
    const { event: inner, context } = unwrapLabelled(input);
    const alert = formatAlert(inner, context);
    return { subject: alert.subject, message: alert.message, attributes: alert.attributes };
  });
}

/** One text file per rule: each alert's subject, attributes and message, as an email would show them. */
export function alertsText(ruleName: string, alerts: readonly RenderedAlert[]): string {
  if (alerts.length === 0) return `${ruleName}: no alerts\n`;
  return alerts
    .map((a, i) =>
      [
        `=== ${ruleName}: alert ${i + 1} of the first ${alerts.length}`,
        `Subject: ${a.subject}`,
        `Attributes: ${Object.entries(a.attributes).map(([k, v]) => `${k}=${v}`).join(", ")}`,
        "",
        a.message,
        "",
      ].join("\n"),
    )
    .join("\n");
}
