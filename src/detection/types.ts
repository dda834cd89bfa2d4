/**
 * The vocabulary of detection: event patterns, presets and their parts.
 *
 * Patterns follow https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * and the CloudTrail event shape https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html.
 */
/** detail-types CloudTrail uses on EventBridge: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html */
export const API_CALL = "AWS API Call via CloudTrail";
export const CONSOLE_SIGN_IN = "AWS Console Sign In via CloudTrail";

export type Severity = "critical" | "high" | "medium";

/**
 * Where AWS records the events of a part:
 * - "global": only in us-east-1 (IAM, Organizations, and this deployment's
 *   own rules, function and topic, which live there). Never duplicated elsewhere.
 * - "regional": in the region of the resource or of the call (CloudTrail, S3,
 *   KMS, EC2, Config, root API calls, console sign-in through a regional
 *   endpoint). Matched in us-east-1 for us-east-1 and, through forwarding
 *   rules, for every other watched region.
 */
export type Scope = "global" | "regional";

/** This deployment's resource names, as Terraform expressions (tokens) or, in tests, plain strings. */
export interface DeploymentNames {
  /** `application_name`: rule names start with `<namePrefix>-`. */
  readonly namePrefix: string;
  readonly trailName: string;
  readonly logBucketName: string;
  readonly accessLogBucketName: string;
  readonly functionName: string;
  /** Built from the name (not the resource attribute) so the pattern is known at plan time. */
  readonly topicArn: string;
}

export type EventPattern = Record<string, any>;

export interface PresetPart {
  /** Part id inside the preset; empty for a preset with a single part. */
  readonly id: string;
  readonly scope: Scope;
  readonly description: string;
  readonly pattern: (names: DeploymentNames) => EventPattern;
}

export interface Preset {
  readonly name: string;
  readonly severity: Severity;
  readonly description: string;
  /**
   * Whether `ignored_principal_arns` applies. Never for root activity and
   * tampering with the monitoring: the principal most worth hiding is the one
   * that switches the monitoring off.
   */
  readonly suppressible: boolean;
  /** Public detection content this preset corresponds to. */
  readonly references: readonly string[];
  readonly parts: readonly PresetPart[];
}

