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
}

export function deploymentNaming(inputs: NamingInputs): DeploymentNaming {
  const { name, accountId, partition, homeRegion } = inputs;
  const arn = (service: string, region: string, resource: string): string =>
    `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
  const trailName = `${name}-trail`;
  const trailLogGroupName = `/aws/cloudtrail/${name}`;
  const functionName = `${name}-notifier`;
  const topicName = `${name}-alerts`;
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
  };
}
