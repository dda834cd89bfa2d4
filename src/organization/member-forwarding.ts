/**
 * What a member account forwards to the central us-east-1 bus: per enabled
 * preset, coarse branches (source, detail-type and event names, without the
 * central deployment's names or the presets' finer conditions) so that only
 * events an enabled preset could match leave the account, and the central
 * rules do the precise matching. Data for a Terraform local: the pattern is
 * assembled at plan time from `alert_presets` and `iam_events`, so a tfvars
 * change alone updates every member.
 *
 * `monitoring-tamper` is the exception: its parts name the central account's
 * trail, buckets, function and topic, which members do not have. Members
 * forward instead the tamper events of their own forwarding (rules, roles and
 * StackSet stacks named after `application_name`), whatever is enabled.
 */
import { FORWARDED_NAME_WILDCARDS } from "../detection/forwarding-pattern";
import { PRESETS } from "../detection/presets";
import { API_CALL, type DeploymentNames, type EventPattern, type Preset, type Scope } from "../detection/types";

/** A coarse branch, grouped by source at plan time; `names` are JSON-encoded eventName matchers. */
export interface SimpleBranch {
  readonly source: string;
  readonly detail_types: string[];
  readonly names: string[];
  /** Forward every write event of the source (see WHOLE_SOURCES). */
  readonly whole_source: boolean;
  readonly scope: Scope;
}

/**
 * Sources forwarded whole, by source and detail-type only: their write
 * management events are few (identity, organization, bucket, trail and
 * recorder configuration changes), every `iam_events` entry then works as
 * it is, and the member pattern stays within EventBridge's 2,048-character
 * quota with every preset enabled. Read-only calls never reach a rule in the
 * ENABLED state, so "whole" still means writes only:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html
 * Other sources (EC2, KMS, sign-in) are forwarded by event name.
 */
export const WHOLE_SOURCES: ReadonlySet<string> = new Set(["aws.iam", "aws.organizations", "aws.s3", "aws.cloudtrail", "aws.config"]);

/** A branch kept whole (root activity, unauthorized calls): the pattern as JSON text. */
export interface WholeBranch {
  readonly pattern: string;
  readonly scope: Scope;
}

export interface MemberPresetBranches {
  readonly simple: SimpleBranch[];
  readonly whole: WholeBranch[];
}

/** Placeholders: member branches keep only sources, detail-types and event names. */
const NO_NAMES: DeploymentNames = { namePrefix: "-", trailName: "-", logBucketName: "-", accessLogBucketName: "-", functionName: "-", topicArn: "-" };

/** The presets whose parts name central resources, and so are replaced by the member tamper branches. */
const CENTRAL_ONLY_PRESETS = new Set(["monitoring-tamper"]);

function branchesOf(preset: Preset): MemberPresetBranches {
  const simple: SimpleBranch[] = [];
  const whole: WholeBranch[] = [];
  if (CENTRAL_ONLY_PRESETS.has(preset.name)) return { simple, whole };
  for (const part of preset.parts) {
    const pattern: EventPattern = part.pattern(NO_NAMES);
    const sources = pattern.source as unknown[] | undefined;
    const names = pattern.detail?.eventName as (string | EventPattern)[] | undefined;
    if (sources?.length === 1 && typeof sources[0] === "string" && names !== undefined) {
      const source = sources[0];
      const wildcards = FORWARDED_NAME_WILDCARDS[source];
      const whole = WHOLE_SOURCES.has(source);
      simple.push({
        source,
        detail_types: pattern["detail-type"],
        names: whole ? [] : (wildcards?.map((wildcard) => ({ wildcard })) ?? names).map((name) => JSON.stringify(name)),
        whole_source: whole,
        scope: part.scope,
      });
    } else {
      whole.push({ pattern: JSON.stringify(pattern), scope: part.scope });
    }
  }
  return { simple, whole };
}

/** Every preset's member branches, keyed by preset name: the `member_forwarding_catalog` local. */
export function memberForwardingCatalog(): Record<string, MemberPresetBranches> {
  return Object.fromEntries(PRESETS.map((preset) => [preset.name, branchesOf(preset)]));
}

/** The branch of the user's `iam_events` list, as HCL: IAM is forwarded whole, and only from us-east-1 (IAM is global). */
export const IAM_EVENTS_BRANCH_HCL = `{ source = "aws.iam", detail_types = [${JSON.stringify(API_CALL)}], names = [], whole_source = true, scope = "global" }`;
