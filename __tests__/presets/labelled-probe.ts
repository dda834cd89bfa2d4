/**
 * A probe that sees what the notifier would receive: an SQS target added to a
 * deployed rule with the same input transformer as the rule's notifier
 * target, so each message is the `{preset, severity, event}` wrapper
 * EventBridge builds. (The e2e harness's probe has no transformer.)
 */
import { ListTargetsByRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { createQueue, deleteQueue, type Queue } from "../support/aws";
import type { Deployment } from "../e2e/harness";

const TARGET_ID = "presets-labelled-probe";

export async function attachLabelledProbe(deployment: Deployment, ruleName: string, region = "us-east-1"): Promise<Queue> {
  const c = deployment.clients(region);
  const { Targets = [] } = await c.events.send(new ListTargetsByRuleCommand({ Rule: ruleName }));
  const notifier = Targets.find((t) => t.Id === "notifier");
  if (notifier?.InputTransformer === undefined) throw new Error(`rule ${ruleName} has no notifier target with an input transformer`);
  const queue = await createQueue(c.sqs, `presets-${ruleName}`.slice(0, 80));
  await c.events.send(
    new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: TARGET_ID, Arn: queue.arn, InputTransformer: notifier.InputTransformer }] }),
  );
  deployment.onTeardown(async () => {
    await c.events.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: [TARGET_ID] }));
    await deleteQueue(c.sqs, queue);
  });
  return queue;
}
