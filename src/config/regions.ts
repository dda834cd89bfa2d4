/**
 * IAM is a global service: its CloudTrail events are delivered to EventBridge
 * only in US East (N. Virginia), so rules, function and topic live there.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html
 */
export const ALERTING_REGION = "us-east-1";

/** An AWS region name such as `eu-west-1` or `us-gov-west-1`. */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;
