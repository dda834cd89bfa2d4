/** A rule as deployed in the alerting region, whichever way it was found (plan or catalogue). */
import type { EventPattern, Severity } from "../../src/detection";

export interface DeployedRule {
  /** The rule's name as deployed: `<application_name>-<suffix>`. */
  readonly name: string;
  /** The preset it belongs to, `iam-events` for the rule on `iam_events`, or "(other)" for a rule this stack does not define. */
  readonly preset: string;
  readonly severity?: Severity;
  /** Whether `ignored_principal_arns` applies to it (never root activity, monitoring tamper...). */
  readonly suppressible: boolean;
  readonly pattern: EventPattern;
  /**
   * State ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS: the rule also
   * receives read-only management events (Describe*, Get*, List*).
   * This stack's rules are ENABLED, so false.
   */
  readonly allManagementEvents: boolean;
}

export const OTHER_PRESET = "(other)";
