import { API_CALL, type EventPattern } from "../detection/types";

export interface HeartbeatPatternNames {
  /** The role the schedule tags. */
  readonly canaryRoleName: string;
  /** The role the schedule's calls are made with. */
  readonly schedulerRoleArn: string;
}

/**
 * The heartbeat rule's pattern: exactly the schedule's call. IAM's `TagRole`
 * (recorded by CloudTrail in us-east-1, where IAM's events reach EventBridge)
 * on the canary role, made with the scheduler role's credentials (a
 * session of that role: `userIdentity.sessionContext.sessionIssuer.arn`),
 * and successful (no `errorCode`: a call IAM refused is no heartbeat).
 * The session name and source fields are left out: the Scheduler
 * documentation does not fix them.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 *
 * Never merged with `ignored_principal_arns`: suppression is for people's
 * calls, and silencing the heartbeat would fire its alarm.
 */
export function heartbeatPattern(names: HeartbeatPatternNames): EventPattern {
  return {
    source: ["aws.iam"],
    "detail-type": [API_CALL],
    detail: {
      eventSource: ["iam.amazonaws.com"],
      eventName: ["TagRole"],
      requestParameters: { roleName: [names.canaryRoleName] },
      userIdentity: { sessionContext: { sessionIssuer: { arn: [names.schedulerRoleArn] } } },
      errorCode: [{ exists: false }],
    },
  };
}
