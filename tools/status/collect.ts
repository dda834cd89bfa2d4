/**
 * Reads a deployment through the AWS SDK, by the names the stack gives its
 * resources (`src/config/naming.ts`), and turns what it finds into checks.
 * Works against AWS and against an emulator (the SDK honours AWS_ENDPOINT_URL).
 */
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ListRulesCommand, ListTargetsByRuleCommand, type EventBridgeClient, type Rule } from "@aws-sdk/client-eventbridge";
import { GetFunctionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { ListSubscriptionsByTopicCommand, ListTopicsCommand, type SNSClient, type Subscription } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { ALERTING_REGION } from "../../src/config/regions";
import { LIVENESS_RULE_SUFFIXES } from "../../src/config/naming";
import { presetRules, ruleSuffix } from "../../src/detection/rule-keys";
import { RULE_SUFFIXES } from "../../src/detection/event-rules";
import { isMissing } from "./errors";
import type { Check, StatusReport } from "./model";
import { alarmCheck, alarmsWithPrefix, heartbeatCheck, queueCheck, trailCheck } from "./monitoring-checks";

export interface RegionClients {
  readonly sns: SNSClient;
  readonly events: EventBridgeClient;
  readonly cloudWatch: CloudWatchClient;
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly cloudTrail: CloudTrailClient;
}

export interface StatusOptions {
  readonly applicationName: string;
  /** Regions other than us-east-1 whose forwarding (rules, dead-letter queue, alarm) to check; the home region is one. */
  readonly watchRegions: readonly string[];
  readonly now?: Date;
}

/** Forwarding rules in each watched region (`src/detection/regional-forwarding.ts`). */
const FORWARDING_SUFFIXES = ["forward-to-alerting-region", "forward-alarms-to-alerting-region"];


export async function collectStatus(clientsFor: (region: string) => RegionClients, options: StatusOptions): Promise<StatusReport> {
  const name = options.applicationName;
  const now = options.now ?? new Date();
  const east = clientsFor(ALERTING_REGION);
  const watched = [...new Set(options.watchRegions)].filter((r) => r !== ALERTING_REGION);
  const checks: Check[] = [];

  const topicArn = await findTopic(east.sns, `${name}-alerts`);
  checks.push(...(await subscriptionChecks(east.sns, `${name}-alerts`, topicArn)));
  checks.push(await notifierCheck(east.lambda, `${name}-notifier`));

  const eastAlarms = await alarmsWithPrefix(east.cloudWatch, `${name}-`);
  const ours = eastAlarms.filter((a) => topicArn === undefined || (a.AlarmActions ?? []).includes(topicArn));
  // Every rule in us-east-1 has a FailedInvocations alarm: a rule that has one but no longer exists was deleted.
  const expectedRules = ours
    .filter((a) => a.MetricName === "FailedInvocations")
    .map((a) => a.Dimensions?.find((d) => d.Name === "RuleName")?.Value)
    .filter((r): r is string => r !== undefined);
  const eastSuffixes = [
    RULE_SUFFIXES.iamEvents,
    LIVENESS_RULE_SUFFIXES.heartbeat,
    LIVENESS_RULE_SUFFIXES.regionalAlarms,
    ...presetRules().map((r) => ruleSuffix(r.key)),
  ];
  checks.push(...(await ruleChecks(east.events, ALERTING_REGION, name, eastSuffixes, expectedRules)));

  const forwardingRegions: string[] = [];
  for (const region of watched) {
    const clients = clientsFor(region);
    const queue = await queueCheck(
      clients.sqs,
      region,
      `${name}-forwarding-dlq`,
      "no forwarding here: no regional preset enabled, or the home region is us-east-1",
    );
    checks.push(queue.check);
    if (queue.exists) forwardingRegions.push(region);
    const expected = queue.exists ? FORWARDING_SUFFIXES.map((s) => `${name}-${s}`) : [];
    checks.push(...(await ruleChecks(clients.events, region, name, FORWARDING_SUFFIXES, expected)));
    const regional = (await alarmsWithPrefix(clients.cloudWatch, `${name}-forwarding-dlq`)).filter(
      (a) => a.AlarmName === `${name}-forwarding-dlq-not-empty`,
    );
    checks.push(...regional.map((a) => alarmCheck(a, region)));
    if (queue.exists && regional.length === 0) {
      checks.push({
        area: "alarms",
        region,
        name: `${name}-forwarding-dlq-not-empty`,
        state: "missing",
        healthy: false,
        note: "redeploy to restore it",
      });
    }
  }

  checks.push(await trailCheck(clientsFor, `${name}-trail`, [ALERTING_REGION, ...watched]));
  checks.push(...ours.map((a) => alarmCheck(a, ALERTING_REGION)));
  for (const queueName of [`${name}-delivery-dlq`, `${name}-notifier-dlq`]) {
    checks.push((await queueCheck(east.sqs, ALERTING_REGION, queueName)).check);
  }
  checks.push(await heartbeatCheck(east.cloudWatch, name, ours, now));

  return { applicationName: name, at: now, checks };
}

async function findTopic(sns: SNSClient, topicName: string): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListTopicsCommand({ NextToken }));
    const found = (page.Topics ?? []).find((t) => t.TopicArn?.endsWith(`:${topicName}`));
    if (found?.TopicArn !== undefined) return found.TopicArn;
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return undefined;
}

async function subscriptionChecks(sns: SNSClient, topicName: string, topicArn: string | undefined): Promise<Check[]> {
  const base = { area: "subscriptions", region: ALERTING_REGION } as const;
  if (topicArn === undefined)
    return [{ ...base, name: topicName, state: "topic missing", healthy: false, note: "nothing can be published: redeploy" }];
  const subscriptions: Subscription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    subscriptions.push(...(page.Subscriptions ?? []));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  if (subscriptions.length === 0) {
    return [{ ...base, name: topicName, state: "no subscription", healthy: false, note: "nobody receives alerts: set sns_endpoint" }];
  }
  return subscriptions.map((s) => {
    const pending = s.SubscriptionArn === "PendingConfirmation";
    return {
      ...base,
      name: `${s.Protocol} ${s.Endpoint}`,
      state: pending ? "pending confirmation" : "confirmed",
      healthy: !pending,
      ...(pending ? { note: "receives nothing until the link in AWS's email is clicked" } : {}),
    };
  });
}

async function notifierCheck(lambda: LambdaClient, functionName: string): Promise<Check> {
  const base = { area: "notifier", region: ALERTING_REGION, name: functionName } as const;
  try {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    const state = fn.Configuration?.State ?? "Active";
    if (fn.Concurrency?.ReservedConcurrentExecutions === 0) {
      return {
        ...base,
        state: "reserved concurrency 0",
        healthy: false,
        note: "it can never run: raise notifier_reserved_concurrency and redeploy",
      };
    }
    return { ...base, state: state.toLowerCase(), healthy: state === "Active" };
  } catch (err) {
    if (isMissing(err)) return { ...base, state: "missing", healthy: false, note: "no alert can be sent: redeploy" };
    throw err;
  }
}

async function ruleChecks(
  events: EventBridgeClient,
  region: string,
  name: string,
  suffixes: readonly string[],
  expected: readonly string[],
): Promise<Check[]> {
  const ours = new Set(suffixes.map((s) => `${name}-${s}`));
  const rules: Rule[] = [];
  let NextToken: string | undefined;
  do {
    const page = await events.send(new ListRulesCommand({ NamePrefix: `${name}-`, NextToken }));
    rules.push(...(page.Rules ?? []).filter((r) => r.Name !== undefined && ours.has(r.Name)));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  const checks: Check[] = [];
  for (const rule of rules.sort((a, b) => a.Name!.localeCompare(b.Name!))) {
    const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
    const enabled = rule.State === "ENABLED";
    const state = `${enabled ? "enabled" : (rule.State ?? "unknown").toUpperCase()}, ${Targets.length} target${Targets.length === 1 ? "" : "s"}`;
    const healthy = enabled && Targets.length > 0;
    checks.push({
      area: "rules",
      region,
      name: rule.Name!,
      state,
      healthy,
      ...(healthy
        ? {}
        : {
            note: enabled
              ? "it matches but delivers nowhere: redeploy"
              : `it matches nothing: aws events enable-rule --name ${rule.Name} --region ${region}`,
          }),
    });
  }
  for (const missing of expected.filter((r) => !rules.some((rule) => rule.Name === r))) {
    checks.push({ area: "rules", region, name: missing, state: "missing", healthy: false, note: "deleted: redeploy to restore it" });
  }
  return checks;
}
