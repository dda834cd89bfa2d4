/**
 * What the notifier and the infrastructure must agree on for the heartbeat:
 * the label the rule puts on the delivery, the attribute the notifier adds,
 * and the metric it emits (namespace, name, dimension) that the alarm watches.
 * The notifier owns the file (it emits the metric); the stack reads it here,
 * and a plan test compares the planned alarm with a line the notifier writes.
 */
import contract from "../../handler/src/core/heartbeat-metric.json";

export const HEARTBEAT_CONTRACT: {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensionName: string;
  readonly unit: string;
  readonly preset: string;
  readonly attributeName: string;
  readonly attributeValue: string;
} = contract;
