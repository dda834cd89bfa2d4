/**
 * The member template: a CloudFormation template, as a Terraform expression,
 * that the organization StackSet deploys in every member account and region.
 * Per region it creates one forwarding rule (the coarse pattern of the
 * enabled presets: global and regional events in us-east-1, regional events
 * elsewhere), a guard rule, and the role EventBridge assumes to put events on
 * the central us-east-1 bus.
 *
 * - Cross-account, cross-Region delivery: a rule targets the other account's
 *   bus ARN; with an organization-wide bus policy the target must carry a
 *   role in the sending account. The delivered event keeps the member's
 *   `account`, and an event received from another account is not forwarded
 *   again (one hop). https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 * - Each rule's tamper events (PutRule, DisableRule, DeleteRule, RemoveTargets
 *   on it) are forwarded by the other rule: EventBridge may match a
 *   DisableRule event after the rule is disabled, so a rule cannot be trusted
 *   to report its own removal. Both are named `<application_name>-member-*`,
 *   which the central monitoring-tamper rules match in any account.
 * - A template condition keeps the central account out even if an OU holding
 *   it is targeted: its own events already reach the central rules, and
 *   forwarding them to its own bus would alert twice. Only the central
 *   StackSet of its extra regions sets `ForwardFromCentral`.
 */
import { API_CALL } from "../detection/types";

export interface MemberTemplateNames {
  /** `var.application_name` (a token). */
  readonly name: string;
  /** The central account's id (a token). */
  readonly centralAccountId: string;
  /** The central us-east-1 default bus ARN (a token). */
  readonly centralBusArn: string;
  /** Terraform local names holding the two patterns (JSON text). */
  readonly alertingRegionPatternLocal: string;
  readonly otherRegionPatternLocal: string;
}

export const MEMBER_RULE_SUFFIXES = { forward: "member-forward", guard: "member-guard" } as const;

/** `"{...}"` JSON of an EventBridge rule-tamper branch naming one rule, as an HCL expression. */
export function ruleTamperBranch(ruleName: string): string {
  const names = `[${["DisableRule", "DeleteRule", "RemoveTargets", "PutRule", "PutTargets"].map((n) => JSON.stringify(n)).join(", ")}]`;
  return `jsonencode({ source = ["aws.events"], "detail-type" = [${JSON.stringify(API_CALL)}], detail = { eventSource = ["events.amazonaws.com"], eventName = ${names}, "$or" = [{ requestParameters = { name = [${ruleName}] } }, { requestParameters = { rule = [${ruleName}] } }] } })`;
}

/** The template, as an HCL `jsonencode(...)` expression. */
export function memberTemplateExpression(n: MemberTemplateNames): string {
  const forwardName = `"${n.name}-${MEMBER_RULE_SUFFIXES.forward}"`;
  const guardName = `"${n.name}-${MEMBER_RULE_SUFFIXES.guard}"`;
  const target = `[{ Id = "central-bus", Arn = "${n.centralBusArn}", RoleArn = { "Fn::GetAtt" = ["ForwardingRole", "Arn"] } }]`;
  const role = [
    `Type = "AWS::IAM::Role"`,
    `Condition = "Forward"`,
    `Properties = { RoleName = { "Fn::Join" = ["-", ["${n.name}-member-forward", { Ref = "AWS::Region" }]] }, Description = "EventBridge puts this account's matching events on the central alerting bus", ` +
      // Confused-deputy protection: only EventBridge acting for this account.
      `AssumeRolePolicyDocument = { Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = "sts:AssumeRole", Condition = { StringEquals = { "aws:SourceAccount" = { Ref = "AWS::AccountId" } } } }] }, ` +
      `Policies = [{ PolicyName = "put-events-on-the-central-bus", PolicyDocument = { Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "events:PutEvents", Resource = "${n.centralBusArn}" }] } }] }`,
  ].join(", ");
  const rule = (name: string, description: string, pattern: string): string =>
    `{ Type = "AWS::Events::Rule", Condition = "Forward", Properties = { Name = ${name}, Description = "${description}", State = "ENABLED", EventPattern = ${pattern}, Targets = ${target} } }`;
  return [
    "jsonencode({",
    `AWSTemplateFormatVersion = "2010-09-09",`,
    `Description = "cloudtrail-alerting member forwarding: matching CloudTrail events of this account and region to the central alerting bus (managed by Terraform through a StackSet; do not edit)",`,
    `Parameters = { ForwardFromCentral = { Type = "String", Default = "false", AllowedValues = ["true", "false"], Description = "true only for the central account's own regions beyond its home region" } },`,
    `Conditions = { InAlertingRegion = { "Fn::Equals" = [{ Ref = "AWS::Region" }, "us-east-1"] }, Forward = { "Fn::Or" = [{ "Fn::Not" = [{ "Fn::Equals" = [{ Ref = "AWS::AccountId" }, "${n.centralAccountId}"] }] }, { "Fn::Equals" = [{ Ref = "ForwardFromCentral" }, "true"] }] } },`,
    "Resources = {",
    `ForwardingRole = { ${role} },`,
    `ForwardingRule = ${rule(
      forwardName,
      "Forwards the events the enabled alert presets could match to the central alerting bus",
      `{ "Fn::If" = ["InAlertingRegion", jsondecode(local.${n.alertingRegionPatternLocal}), jsondecode(local.${n.otherRegionPatternLocal})] }`,
    )},`,
    `GuardRule = ${rule(guardName, "Forwards changes to the forwarding rule itself", `jsondecode(${ruleTamperBranch(forwardName)})`)}`,
    "}",
    "})",
  ].join(" ");
}
