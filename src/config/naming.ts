/**
 * Names and ARNs of this deployment's resources, derived from
 * `application_name`, the account, the partition and the home region, never
 * hard-coded. Built from names (not resource attributes) where a policy or a
 * pattern must know a resource before it exists: the bucket and key policies
 * name the trail, the tamper patterns name the topic.
 */
import { ALERTING_REGION } from "./regions";

export interface NamingInputs {
  /** `var.application_name`. */
  readonly name: string;
  readonly accountId: string;
  readonly partition: string;
  /** The home region's name (trail, log buckets). */
  readonly homeRegion: string;
}

export interface DeploymentNaming extends NamingInputs {
  /** `arn:<partition>:<service>:<region>:<account>:<resource>` of a resource of this account. */
  arn(service: string, region: string, resource: string): string;
  readonly trailName: string;
  readonly trailArn: string;
  readonly trailLogGroupName: string;
  readonly trailLogGroupArn: string;
  /** Account and region make bucket names unique: S3 bucket names are global. */
  readonly logBucketName: string;
  readonly accessLogBucketName: string;
  readonly functionName: string;
  readonly functionRoleArn: string;
  readonly notifierLogGroupArn: string;
  /** Every alarm of this deployment (`<name>-*`), for the topic and key policies. */
  readonly alarmArnPattern: string;
  readonly topicName: string;
  readonly topicArn: string;
  /** us-east-1's default bus, where every alerting rule lives. */
  readonly alertingBusArn: string;
  /** `arn:...:events:us-east-1:<account>:rule/`: rules on the default bus have deterministic ARNs. */
  readonly ruleArnPrefix: string;
  /** The heartbeat (`src/liveness/`): the role it tags, the schedule and its own role, the rule, the topic. */
  readonly heartbeat: HeartbeatNaming;
  /** Queue where each watched region keeps the events its forwarding could not deliver to us-east-1 (same name in every region). */
  readonly forwardingDlqName: string;
  /** The alarm on that queue, in each watched region. */
  readonly forwardingDlqAlarmName: string;
  /** The rule in us-east-1 that sends watched regions' alarm state changes to the alert topic. */
  readonly regionalAlarmsRuleName: string;
  readonly regionalAlarmsRuleArn: string;
  /** The command that shows this deployment's health (`scripts/status.ts`), for alarm descriptions. */
  readonly statusCommand: string;
}

/** Name suffixes of the liveness rules in us-east-1 (`<application_name>-<suffix>`). */
export const LIVENESS_RULE_SUFFIXES = { heartbeat: "heartbeat", regionalAlarms: "regional-alarms" } as const;

export interface HeartbeatNaming {
  /** The canary: a role nothing can assume or use, tagged by the schedule so that CloudTrail records a call. */
  readonly canaryRoleName: string;
  readonly canaryRoleArn: string;
  /** The role EventBridge Scheduler assumes to make that call. */
  readonly schedulerRoleName: string;
  readonly schedulerRoleArn: string;
  /** A schedule group of its own, so the scheduler role's trust names it (`aws:SourceArn` must be a group). */
  readonly scheduleGroupName: string;
  readonly scheduleGroupArn: string;
  readonly scheduleName: string;
  readonly ruleName: string;
  /** Topic the notifier publishes heartbeats to: no person subscribes to it. */
  readonly topicName: string;
  readonly topicArn: string;
  readonly alarmName: string;
}

export function deploymentNaming(inputs: NamingInputs): DeploymentNaming {
  const { name, accountId, partition, homeRegion } = inputs;
  const arn = (service: string, region: string, resource: string): string =>
    `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
  const trailName = `${name}-trail`;
  const trailLogGroupName = `/aws/cloudtrail/${name}`;
  const functionName = `${name}-notifier`;
  const topicName = `${name}-alerts`;
  const regionalAlarmsRuleName = `${name}-${LIVENESS_RULE_SUFFIXES.regionalAlarms}`;
  // IAM role names are at most 64 characters: 28 (application_name) + 20 fits.
  const canaryRoleName = `${name}-heartbeat-canary`;
  const schedulerRoleName = `${name}-heartbeat-scheduler`;
  const scheduleGroupName = `${name}-liveness`;
  const heartbeatTopicName = `${name}-heartbeat`;
  return {
    ...inputs,
    arn,
    trailName,
    trailArn: arn("cloudtrail", homeRegion, `trail/${trailName}`),
    trailLogGroupName,
    trailLogGroupArn: arn("logs", homeRegion, `log-group:${trailLogGroupName}`),
    logBucketName: `${name}-logs-${accountId}-${homeRegion}`,
    accessLogBucketName: `${name}-s3logs-${accountId}-${homeRegion}`,
    functionName,
    functionRoleArn: arn("iam", "", `role/${functionName}`),
    notifierLogGroupArn: arn("logs", ALERTING_REGION, `log-group:/aws/lambda/${functionName}`),
    alarmArnPattern: arn("cloudwatch", ALERTING_REGION, `alarm:${name}-*`),
    topicName,
    topicArn: arn("sns", ALERTING_REGION, topicName),
    alertingBusArn: arn("events", ALERTING_REGION, "event-bus/default"),
    ruleArnPrefix: arn("events", ALERTING_REGION, "rule/"),
    heartbeat: {
      canaryRoleName,
      canaryRoleArn: arn("iam", "", `role/${canaryRoleName}`),
      schedulerRoleName,
      schedulerRoleArn: arn("iam", "", `role/${schedulerRoleName}`),
      scheduleGroupName,
      scheduleGroupArn: arn("scheduler", ALERTING_REGION, `schedule-group/${scheduleGroupName}`),
      scheduleName: `${name}-heartbeat`,
      ruleName: `${name}-${LIVENESS_RULE_SUFFIXES.heartbeat}`,
      topicName: heartbeatTopicName,
      topicArn: arn("sns", ALERTING_REGION, heartbeatTopicName),
      alarmName: `${name}-heartbeat-missing`,
    },
    forwardingDlqName: `${name}-forwarding-dlq`,
    forwardingDlqAlarmName: `${name}-forwarding-dlq-not-empty`,
    regionalAlarmsRuleName,
    regionalAlarmsRuleArn: arn("events", ALERTING_REGION, `rule/${regionalAlarmsRuleName}`),
    statusCommand: `npm run status -- --application-name ${name}`,
  };
}
