import { Construct } from "constructs";
import { TerraformLocal } from "cdktf";
import { Composite } from "../shared/composite";
import { expr } from "../shared/expressions";
import { API_CALL } from "../detection/types";
import { IAM_EVENTS_BRANCH_HCL, memberForwardingCatalog } from "./member-forwarding";
import { MEMBER_RULE_SUFFIXES, ruleTamperBranch } from "./member-template";

export interface MemberPatternsProps {
  /** `var.application_name` (a token). */
  readonly name: string;
}

/**
 * The two forwarding patterns of the member template, assembled at plan time
 * from `alert_presets` and `iam_events`: one for us-east-1 (global and
 * regional events) and one for every other region (regional events only).
 * Branches are grouped by source, so each event leaves the account once.
 */
export class MemberPatterns extends Composite {
  /** Local names (for `local.<name>`) of the two patterns, JSON text. */
  public readonly alertingRegionLocal: string;
  public readonly otherRegionLocal: string;

  constructor(scope: Construct, id: string, props: MemberPatternsProps) {
    super(scope, id);
    const catalog = new TerraformLocal(this, "member_forwarding_catalog", memberForwardingCatalog());
    const cat = `local.${catalog.friendlyUniqueId}`;
    const simple = new TerraformLocal(
      this,
      "member_simple_branches",
      expr(
        `concat(flatten([for p in var.alert_presets : ${cat}[p].simple]), [${IAM_EVENTS_BRANCH_HCL}])`,
      ),
    );
    const guardName = `"${props.name}-${MEMBER_RULE_SUFFIXES.guard}"`;
    const stackTamper = `jsonencode({ source = ["aws.cloudformation"], "detail-type" = [${JSON.stringify(API_CALL)}], detail = { eventSource = ["cloudformation.amazonaws.com"], eventName = ["DeleteStack", "UpdateStack", "UpdateTerminationProtection"] } })`;
    // Changes to the forwarding role need no branch of their own: IAM is forwarded whole from us-east-1.

    const pattern = (localId: string, regionalOnly: boolean): string => {
      const keep = regionalOnly ? ` if b.scope == "regional"` : "";
      const keepWhole = regionalOnly ? ` if w.scope == "regional"` : "";
      const group = String.raw`[for src, bs in { for b in local.${simple.friendlyUniqueId} : b.source => b...${keep} } : anytrue([for b in bs : b.whole_source]) ? format("{\"source\":%s,\"detail-type\":%s}", jsonencode([src]), jsonencode(distinct(flatten([for b in bs : b.detail_types])))) : format("{\"source\":%s,\"detail-type\":%s,\"detail\":{\"eventName\":[%s]}}", jsonencode([src]), jsonencode(distinct(flatten([for b in bs : b.detail_types]))), join(",", distinct(flatten([for b in bs : b.names]))))]`;
      const whole = `distinct([for w in flatten([for p in var.alert_presets : ${cat}[p].whole]) : w.pattern${keepWhole}])`;
      const tamper = `[${[ruleTamperBranch(guardName), stackTamper].join(", ")}]`;
      return new TerraformLocal(this, localId, expr(String.raw`format("{\"$or\":[%s]}", join(",", concat(${group}, ${whole}, ${tamper})))`)).friendlyUniqueId;
    };
    this.alertingRegionLocal = pattern("member_pattern_alerting_region", false);
    this.otherRegionLocal = pattern("member_pattern_other_regions", true);
  }
}
