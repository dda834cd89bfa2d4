import { Construct } from "constructs";
import { Fn, type ITerraformDependable, Op, Token, type TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SchedulerScheduleGroup } from "@cdktf/provider-aws/lib/scheduler-schedule-group";
import type { HeartbeatNaming } from "../config/naming";
import { HEARTBEAT_TAG } from "./canary-role";

/**
 * The universal target that calls IAM TagRole. No code: EventBridge Scheduler
 * calls the API itself, with the schedule's role, passing `Input` as the
 * request. https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html
 */
export const TAG_ROLE_TARGET = "arn:aws:scheduler:::aws-sdk:iam:tagRole";

export interface HeartbeatScheduleProps {
  /** The us-east-1 provider: the schedule, its group and (IAM being global) its role. */
  readonly provider: TerraformProvider;
  readonly names: HeartbeatNaming;
  readonly accountId: string;
  readonly partition: string;
  /** `var.heartbeat_interval_minutes` (a number token; never null where it is used, see `count`). */
  readonly intervalMinutes: number;
  /** 0 or 1, a Terraform expression. */
  readonly count: number;
  /** What must exist before the first call (the canary role). @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The heartbeat's first link: every `heartbeat_interval_minutes`, EventBridge
 * Scheduler tags the canary role, a harmless IAM write that CloudTrail
 * records like the calls the product alerts on.
 *
 * Why `iam:TagRole` on a canary role:
 * - it is a write, so CloudTrail delivers it to EventBridge (read-only calls
 *   are not delivered by default, and universal targets refuse Get/List/Describe);
 * - IAM is global: its events reach EventBridge only in us-east-1, exactly the
 *   path of the IAM alerts (trail logging, CloudTrail to EventBridge in
 *   us-east-1, a rule, the notifier), so a break of that path stops the heartbeat;
 * - the same tag every time changes nothing, costs nothing (IAM is free) and
 *   needs no code to maintain;
 * - the role tagged is a canary nothing uses, so no real resource is touched.
 *
 * The schedule's role may only tag that one role, and only with the
 * heartbeat's tag key. Its trust admits EventBridge Scheduler for schedules of
 * this deployment's own group and account (the documented confused-deputy
 * conditions; `aws:SourceArn` must name a schedule group, not a schedule).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
 */
export class HeartbeatSchedule extends Construct {
  public readonly schedule: SchedulerSchedule;
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: HeartbeatScheduleProps) {
    super(scope, id);
    const { names, provider, count } = props;

    const group = new SchedulerScheduleGroup(this, "group", { provider, count, name: names.scheduleGroupName });

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      provider,
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
            { test: "ArnEquals", variable: "aws:SourceArn", values: [names.scheduleGroupArn] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      provider,
      count,
      name: names.schedulerRoleName,
      description: "EventBridge Scheduler: tags the heartbeat canary role, nothing else",
      assumeRolePolicy: trust.json,
    });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      provider,
      statement: [
        {
          sid: "TagTheCanaryOnly",
          effect: "Allow",
          actions: ["iam:TagRole"],
          resources: [names.canaryRoleArn],
          condition: [{ test: "ForAllValues:StringEquals", variable: "aws:TagKeys", values: [HEARTBEAT_TAG.key] }],
        },
      ],
    });
    const policy = new IamRolePolicy(this, "policy", {
      provider,
      count,
      name: "tag-heartbeat-canary",
      role: names.schedulerRoleName,
      policy: permissions.json,
      dependsOn: [this.role],
    });

    const interval = props.intervalMinutes;
    this.schedule = new SchedulerSchedule(this, "schedule", {
      provider,
      count,
      name: names.scheduleName,
      groupName: names.scheduleGroupName,
      description: "Heartbeat: tags the canary role so that CloudTrail records a call the heartbeat rule hands to the notifier",
      // rate() wants the singular for 1: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
      scheduleExpression: Token.asString(Fn.conditional(Op.eq(interval, 1), "rate(1 minute)", `rate(${Token.asString(interval)} minutes)`)),
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: TAG_ROLE_TARGET.replace("arn:aws:", `arn:${props.partition}:`),
        roleArn: names.schedulerRoleArn,
        input: Token.asString(
          Fn.jsonencode({ RoleName: names.canaryRoleName, Tags: [{ Key: HEARTBEAT_TAG.key, Value: HEARTBEAT_TAG.value }] }),
        ),
        // A heartbeat older than a few minutes is superseded by the next one; retries cover throttling only.
        retryPolicy: { maximumEventAgeInSeconds: 300, maximumRetryAttempts: 3 },
      },
      dependsOn: [group, this.role, policy, ...(props.dependsOn ?? [])],
    });
  }
}
