/**
 * How long the heartbeat alarm waits before it tells the recipients, and why.
 *
 * The alarm counts heartbeats per minute (period 60 s, statistic Sum) and
 * treats a minute without one as breaching; it fires when 25 minutes in a row
 * have none (25 of 25 datapoints). A heartbeat is scheduled every
 * `heartbeat_interval_minutes` (1 to 12, default 10).
 *
 * Not on normal delays. CloudTrail "typically delivers logs within an average
 * of about 5 minutes of an API call. This time is not guaranteed."
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html),
 * and AWS services deliver their events to EventBridge on a best-effort basis:
 * "in some rare cases an event might not be delivered"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-delivery-level.html).
 * With the default interval the window tolerates one heartbeat arriving up to
 * 15 minutes later than the one before it (three times the documented
 * average), and one heartbeat lost altogether (a 20-minute gap): the
 * variable's upper bound of 12 keeps two intervals inside the window.
 *
 * Within 30 minutes of a break. Worst case: the path breaks just after a
 * heartbeat was counted at the start of a minute; that minute and the next
 * 25 elapse, so the alarm's datapoints say "missing" 26 minutes after the last
 * heartbeat. CloudWatch evaluates alarms every minute, so the state changes
 * within about a minute of that: at most about 27 minutes from the break to
 * the alarm's email, whatever the interval.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 */
export const HEARTBEAT_ALARM = {
  periodSeconds: 60,
  /** Minutes in a row without a heartbeat before the alarm fires. */
  windowMinutes: 25,
} as const;

/** Upper bound of the worst-case detection time, in minutes (window, the minute of the last heartbeat, one evaluation). */
export const WORST_CASE_DETECTION_MINUTES = HEARTBEAT_ALARM.windowMinutes + 2;
