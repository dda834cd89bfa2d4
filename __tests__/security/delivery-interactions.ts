/**
 * The alerting half: EventBridge invoking the notifier and dead-lettering to
 * its queue, the notifier publishing through the encrypted topic, the alarms
 * publishing to it, CloudWatch Logs encrypting the notifier's group, and the
 * forwarding role putting events on the us-east-1 bus. Request shapes: the
 * page in each interaction's `docs`.
 */
import type { Request } from "./iam-simulation";
import { accountOf, attempts, elsewhere, OTHER_ACCOUNT, session, type Interaction, type Kit } from "./interaction-kit";
import { logsEncrypt } from "./audit-interactions";

export function deliveryInteractions(k: Kit): Interaction[] {
  const { planned: p, account: A, homeRegion: H } = k;
  // The rules whose target is the notifier, and every alarm of this deployment.
  const rules = p
    .instances("aws_cloudwatch_event_target")
    .filter((t) => t.values.target_id === "notifier")
    .map((t) => p.arn(p.instances("aws_cloudwatch_event_rule").find((r) => r.values.name === t.values.rule)!.address));
  // Alarms in us-east-1 publish to the topic themselves. A watched region's alarm cannot (alarm actions are
  // regional): its state change reaches the topic through EventBridge (src/liveness/regional-alarms.ts).
  const alarms = p
    .instances("aws_cloudwatch_metric_alarm")
    .map((a) => p.arn(a.address))
    .filter((arn) => arn.includes(":us-east-1:"));
  const anotherRule = rules[0]!.replace(/rule\/.*$/, "rule/not-this-deployment");
  const anotherAlarm = alarms[0]!.replace(/alarm:.*$/, "alarm:another-application-alarm");
  const source = (sourceArn: string): Record<string, string> => ({ "aws:SourceArn": sourceArn, "aws:SourceAccount": accountOf(sourceArn) });

  const fn = p.arn("aws_lambda_function.notifier_function");
  const fnPolicy = p.functionPolicy("aws_lambda_function.notifier_function");
  const invoke = (rule: string): Request => k.service("events.amazonaws.com", "lambda:InvokeFunction", fn, fnPolicy, source(rule));
  const deliveryDlq = p.arn("aws_sqs_queue.event_rules_delivery_dlq_queue");
  const deliveryDlqPolicy = p.policy("aws_sqs_queue_policy.event_rules_delivery_dlq_policy", "policy");
  const deadLetter = (rule: string): Request => k.service("events.amazonaws.com", "sqs:SendMessage", deliveryDlq, deliveryDlqPolicy, source(rule));

  const topic = p.arn("aws_sns_topic.alert_topic_topic");
  const topicPolicy = p.policy("aws_sns_topic_policy.alert_topic_policy", "policy");
  const alertKey = p.arn("aws_kms_key.alert_key_key");
  const alertKeyPolicy = p.policy("aws_kms_key.alert_key_key", "policy");
  const notifier = session(p.arn("aws_iam_role.notifier_role"), "notifier");
  const notifierPolicy = p.policy("aws_iam_role_policy.notifier_policy", "policy");
  const notifierDlq = p.arn("aws_sqs_queue.notifier_dlq_queue");
  const notifierDlqPolicy = p.policy("aws_sqs_queue_policy.notifier_dlq_policy", "policy");
  const publish = (principal: string): Request => k.asRole(principal, "sns:Publish", topic, notifierPolicy, topicPolicy);
  // SNS calls KMS on the publisher's behalf: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
  const useKey = (principal: string): Request[] =>
    ["kms:GenerateDataKey", "kms:Decrypt"].map((action) =>
      k.asRole(principal, action, alertKey, notifierPolicy, alertKeyPolicy, {
        "kms:ViaService": "sns.us-east-1.amazonaws.com",
        "kms:CallerAccount": accountOf(principal),
      }),
    );
  const keepFailed = (principal: string): Request => k.asRole(principal, "sqs:SendMessage", notifierDlq, notifierPolicy, notifierDlqPolicy);
  const alarmPublishes = (alarm: string): Request[] => [
    k.service("cloudwatch.amazonaws.com", "sns:Publish", topic, topicPolicy, source(alarm)),
    ...["kms:GenerateDataKey", "kms:Decrypt"].map((action) => k.service("cloudwatch.amazonaws.com", action, alertKey, alertKeyPolicy, source(alarm))),
  ];

  const forwardingRole = p.arn("aws_iam_role.forwarding_role_role[0]");
  const forwardingTrust = p.policy("aws_iam_role.forwarding_role_role[0]", "assume_role_policy");
  const forwardingPolicy = p.policy("aws_iam_role_policy.forwarding_role_policy[0]", "policy");
  const forwarder = session(forwardingRole, "forwarding");
  const bus = `arn:${p.partition}:events:us-east-1:${A}:event-bus/default`;
  const assume = (account: string): Request =>
    k.service("events.amazonaws.com", "sts:AssumeRole", forwardingRole, forwardingTrust, { "aws:SourceAccount": account });
  const putEvents = (principal: string, busArn: string): Request => k.asRole(principal, "events:PutEvents", busArn, forwardingPolicy);

  return [
    {
      name: "EventBridge → notifier function",
      request: "`lambda:InvokeFunction`, source ARN each rule",
      docs: "eb-use-resource-based",
      allowed: rules.map((rule) => ({ label: rule, request: invoke(rule) })),
      denied: [...attempts("another rule", [invoke(anotherRule)]), ...attempts("the same rule in another account", [invoke(elsewhere(rules[0]!))])],
    },
    {
      name: "EventBridge → delivery dead-letter queue",
      request: "`sqs:SendMessage`, source ARN each rule",
      docs: "eb-rule-dlq",
      allowed: rules.map((rule) => ({ label: rule, request: deadLetter(rule) })),
      denied: [
        ...attempts("another rule", [deadLetter(anotherRule)]),
        ...attempts("the same rule in another account", [deadLetter(elsewhere(rules[0]!))]),
      ],
    },
    {
      name: "notifier role → alert topic",
      request: "`sns:Publish`",
      docs: "sns-key-management",
      allowed: attempts("the notifier", [publish(notifier)]),
      denied: attempts("a role in another account", [publish(elsewhere(notifier))]),
    },
    {
      name: "notifier role → alert key",
      request: "`kms:GenerateDataKey`, `kms:Decrypt` (publishing to the encrypted topic)",
      docs: "sns-key-management",
      allowed: attempts("the notifier", useKey(notifier)),
      denied: attempts("a role in another account", useKey(elsewhere(notifier))),
    },
    {
      name: "notifier role → its dead-letter queue",
      request: "`sqs:SendMessage`",
      docs: "invocation-async-retain-records",
      allowed: attempts("the notifier", [keepFailed(notifier)]),
      denied: attempts("a role in another account", [keepFailed(elsewhere(notifier))]),
    },
    {
      name: "CloudWatch alarms → alert topic and key",
      request: "`sns:Publish`; `kms:GenerateDataKey`, `kms:Decrypt`; source ARN each alarm",
      docs: "sns-key-management",
      allowed: alarms.flatMap((alarm) => attempts(alarm, alarmPublishes(alarm))),
      denied: [
        ...attempts("another application's alarm", alarmPublishes(anotherAlarm)),
        ...attempts("the same alarm in another account", alarmPublishes(elsewhere(alarms[0]!))),
      ],
    },
    logsEncrypt(k, "alert key", "aws_kms_key.alert_key_key", "aws_cloudwatch_log_group.notifier_logs"),
    {
      name: "EventBridge → forwarding role",
      request: "`sts:AssumeRole`, source account this one",
      docs: "eb-cross-region",
      allowed: attempts("this account", [assume(A)]),
      denied: attempts("another account", [assume(OTHER_ACCOUNT)]),
    },
    {
      name: "forwarding role → us-east-1 default bus",
      request: "`events:PutEvents`",
      docs: "eb-cross-region",
      allowed: attempts("the forwarding role", [putEvents(forwarder, bus)]),
      denied: [
        ...attempts("a role in another account", [putEvents(elsewhere(forwarder), bus)]),
        ...attempts("another region's bus", [putEvents(forwarder, bus.replace(":us-east-1:", `:${H}:`))]),
      ],
    },
  ];
}
