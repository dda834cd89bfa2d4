/**
 * How `npm run status` judges what it reads (tools/status), on canned SDK
 * answers: each kind of silent break is a FAIL line that says what to do, and
 * only those. The emulator run (liveness.e2e.ts, run on the presets e2e deployment) reads a real deployment.
 */
import { describe, expect, it } from "vitest";
import { collectStatus, isHealthy, renderStatus, type RegionClients, type StatusReport } from "../../tools/status";

const APP = "demo";
const NOW = new Date("2025-01-15T12:00:00Z");
const TOPIC = `arn:aws:sns:us-east-1:123456789012:${APP}-alerts`;
const minutesAgo = (m: number): Date => new Date(NOW.getTime() - m * 60_000);

type Answers = Record<string, (input: any) => unknown>;

/** A healthy deployment with the home region eu-west-1 forwarded; `change` breaks one thing. */
function world(change: (a: Record<string, Answers>) => void = () => undefined): (region: string) => RegionClients {
  const alarm = (name: string, extra: object = {}) => ({
    AlarmName: name,
    StateValue: "OK",
    ActionsEnabled: true,
    AlarmActions: [TOPIC],
    ...extra,
  });
  const answers: Record<string, Answers> = {
    "us-east-1": {
      ListTopicsCommand: () => ({ Topics: [{ TopicArn: TOPIC }] }),
      ListSubscriptionsByTopicCommand: () => ({
        Subscriptions: [{ Protocol: "email", Endpoint: "a@example.com", SubscriptionArn: `${TOPIC}:1` }],
      }),
      GetFunctionCommand: () => ({ Configuration: { State: "Active" } }),
      ListRulesCommand: () => ({ Rules: [`${APP}-iam-events`, `${APP}-heartbeat`].map((Name) => ({ Name, State: "ENABLED" })) }),
      ListTargetsByRuleCommand: () => ({ Targets: [{ Id: "notifier" }] }),
      DescribeAlarmsCommand: ({ AlarmNamePrefix }) =>
        AlarmNamePrefix === `${APP}-`
          ? {
              MetricAlarms: [
                alarm(`${APP}-heartbeat-missing`),
                alarm(`${APP}-iam-events-failed-invocations`, {
                  MetricName: "FailedInvocations",
                  Dimensions: [{ Name: "RuleName", Value: `${APP}-iam-events` }],
                }),
              ],
            }
          : { MetricAlarms: [] },
      DescribeTrailsCommand: () => ({
        trailList: [
          { Name: `${APP}-trail`, TrailARN: `arn:aws:cloudtrail:eu-west-1:123456789012:trail/${APP}-trail`, HomeRegion: "eu-west-1" },
        ],
      }),
      GetQueueUrlCommand: ({ QueueName }) => ({ QueueUrl: `https://sqs/${QueueName}` }),
      GetQueueAttributesCommand: () => ({ Attributes: { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" } }),
      GetMetricStatisticsCommand: () => ({
        Datapoints: [
          { Timestamp: minutesAgo(7), Sum: 1 },
          { Timestamp: minutesAgo(17), Sum: 1 },
        ],
      }),
    },
    "eu-west-1": {
      GetQueueUrlCommand: ({ QueueName }) => ({ QueueUrl: `https://sqs/${QueueName}` }),
      GetQueueAttributesCommand: () => ({ Attributes: { ApproximateNumberOfMessages: "0" } }),
      ListRulesCommand: () => ({
        Rules: [`${APP}-forward-to-alerting-region`, `${APP}-forward-alarms-to-alerting-region`].map((Name) => ({
          Name,
          State: "ENABLED",
        })),
      }),
      ListTargetsByRuleCommand: () => ({ Targets: [{ Id: "alerting-region-bus" }] }),
      DescribeAlarmsCommand: () => ({ MetricAlarms: [alarm(`${APP}-forwarding-dlq-not-empty`, { AlarmActions: [] })] }),
      DescribeTrailsCommand: () => ({ trailList: [] }),
      GetTrailStatusCommand: () => ({ IsLogging: true }),
    },
  };
  change(answers);
  const client = (region: string) => ({
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const answer = answers[region]?.[command.constructor.name];
      if (answer === undefined) throw new Error(`no canned answer for ${command.constructor.name} in ${region}`);
      return answer(command.input);
    },
  });
  return (region) => {
    const c = client(region) as never;
    return { sns: c, events: c, cloudWatch: c, sqs: c, lambda: c, cloudTrail: c };
  };
}
const notFound = (name: string) => () => {
  throw Object.assign(new Error(`${name} does not exist`), { name: "ResourceNotFoundException" });
};
const status = (change?: (a: Record<string, Answers>) => void): Promise<StatusReport> =>
  collectStatus(world(change), { applicationName: APP, watchRegions: ["eu-west-1"], now: NOW });
const failing = (report: StatusReport): string[] => report.checks.filter((c) => !c.healthy).map((c) => `${c.area}: ${c.name}: ${c.state}`);

describe("npm run status judges", () => {
  it("a deployment where everything works: healthy, every area shown", async () => {
    const report = await status();
    expect(failing(report)).toEqual([]);
    expect(isHealthy(report)).toBe(true);
    const screen = renderStatus(report);
    expect(screen.split("\n")[0]).toBe(`${APP} at ${NOW.toISOString()}: HEALTHY`);
    for (const area of ["Subscriptions", "Notifier", "Rules", "Trail", "Alarms", "Dead-letter queues", "Heartbeat"])
      expect(screen).toContain(`\n${area}\n`);
    expect(screen).toContain("last heartbeat");
    expect(screen).toContain("(7 minutes ago)");
  });

  it("a subscription never confirmed", async () => {
    const report = await status((a) => {
      a["us-east-1"]!.ListSubscriptionsByTopicCommand = () => ({
        Subscriptions: [{ Protocol: "email", Endpoint: "a@example.com", SubscriptionArn: "PendingConfirmation" }],
      });
    });
    expect(failing(report)).toEqual(["subscriptions: email a@example.com: pending confirmation"]);
    expect(renderStatus(report)).toContain("receives nothing until the link in AWS's email is clicked");
  });

  it("a disabled rule, and a rule without a target", async () => {
    const report = await status((a) => {
      a["us-east-1"]!.ListRulesCommand = () => ({
        Rules: [
          { Name: `${APP}-iam-events`, State: "DISABLED" },
          { Name: `${APP}-heartbeat`, State: "ENABLED" },
        ],
      });
      a["us-east-1"]!.ListTargetsByRuleCommand = ({ Rule }) => ({ Targets: Rule === `${APP}-heartbeat` ? [] : [{ Id: "notifier" }] });
    });
    expect(failing(report)).toEqual([`rules: ${APP}-heartbeat: enabled, 0 targets`, `rules: ${APP}-iam-events: DISABLED, 1 target`]);
  });

  it("a deleted rule: one that still has its FailedInvocations alarm", async () => {
    const report = await status((a) => {
      a["us-east-1"]!.ListRulesCommand = () => ({ Rules: [{ Name: `${APP}-heartbeat`, State: "ENABLED" }] });
    });
    expect(failing(report)).toEqual([`rules: ${APP}-iam-events: missing`]);
  });

  it("a deleted notifier, or one throttled to zero", async () => {
    expect(failing(await status((a) => (a["us-east-1"]!.GetFunctionCommand = notFound("function"))))).toEqual([
      `notifier: ${APP}-notifier: missing`,
    ]);
    expect(
      failing(
        await status(
          (a) =>
            (a["us-east-1"]!.GetFunctionCommand = () => ({
              Configuration: { State: "Active" },
              Concurrency: { ReservedConcurrentExecutions: 0 },
            })),
        ),
      ),
    ).toEqual([`notifier: ${APP}-notifier: reserved concurrency 0`]);
  });

  it("a trail that stopped logging", async () => {
    const report = await status((a) => (a["eu-west-1"]!.GetTrailStatusCommand = () => ({ IsLogging: false })));
    expect(failing(report)).toEqual([`trail: ${APP}-trail: NOT LOGGING`]);
  });

  it("an alarm in ALARM, and one whose actions were disabled", async () => {
    const report = await status((a) => {
      a["us-east-1"]!.DescribeAlarmsCommand = ({ AlarmNamePrefix }) => ({
        MetricAlarms:
          AlarmNamePrefix === `${APP}-`
            ? [
                { AlarmName: `${APP}-heartbeat-missing`, StateValue: "ALARM", ActionsEnabled: true, AlarmActions: [TOPIC] },
                { AlarmName: `${APP}-notifier-errors`, StateValue: "OK", ActionsEnabled: false, AlarmActions: [TOPIC] },
              ]
            : [],
      });
    });
    expect(failing(report)).toEqual([`alarms: ${APP}-heartbeat-missing: ALARM`, `alarms: ${APP}-notifier-errors: OK, actions DISABLED`]);
  });

  it("messages in a dead-letter queue, here or in a watched region", async () => {
    const report = await status((a) => {
      a["eu-west-1"]!.GetQueueAttributesCommand = () => ({ Attributes: { ApproximateNumberOfMessages: "3" } });
    });
    expect(failing(report)).toEqual([`dead-letter queues: ${APP}-forwarding-dlq: 3 messages`]);
  });

  it("a watched region without forwarding is not a problem; its rules are then not expected", async () => {
    const report = await status((a) => {
      a["eu-west-1"]!.GetQueueUrlCommand = notFound("queue");
      a["eu-west-1"]!.ListRulesCommand = () => ({ Rules: [] });
      a["eu-west-1"]!.DescribeAlarmsCommand = () => ({ MetricAlarms: [] });
    });
    expect(failing(report)).toEqual([]);
  });

  it("a heartbeat older than the alarm's 25 minutes, or none at all", async () => {
    const stale = await status(
      (a) => (a["us-east-1"]!.GetMetricStatisticsCommand = () => ({ Datapoints: [{ Timestamp: minutesAgo(40), Sum: 1 }] })),
    );
    expect(failing(stale)).toEqual([`heartbeat: last heartbeat: ${minutesAgo(40).toISOString()} (40 minutes ago)`]);
    const none = await status((a) => (a["us-east-1"]!.GetMetricStatisticsCommand = () => ({ Datapoints: [] })));
    expect(failing(none)).toEqual(["heartbeat: last heartbeat: none in the last 3 hours"]);
  });

  it("a heartbeat turned off (no heartbeat alarm) is reported as off, not as a problem", async () => {
    const report = await status((a) => {
      a["us-east-1"]!.DescribeAlarmsCommand = () => ({ MetricAlarms: [] });
      a["us-east-1"]!.GetMetricStatisticsCommand = () => {
        throw new Error("not asked when off");
      };
    });
    expect(report.checks.find((c) => c.area === "heartbeat")).toMatchObject({ state: "off", healthy: true });
  });
});
