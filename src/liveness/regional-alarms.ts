import { Construct } from "constructs";
import { Fn, type TerraformProvider, Token } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { ALARM_STATE_CHANGE } from "../detection/event-forwarding";
import { ALERTING_REGION } from "../config/regions";
import type { EventPattern } from "../detection/types";

export interface RegionalAlarmsProps {
  /** The us-east-1 provider. */
  readonly provider: TerraformProvider;
  readonly ruleName: string;
  /** The alarm each watched region forwards (the same name in every region). */
  readonly alarmName: string;
  readonly topicArn: string;
  /** The delivery dead-letter queue, which admits this rule: a state change SNS would not take is kept, and its alarm fires. */
  readonly deadLetterQueueArn: string;
  readonly statusCommand: string;
}

/**
 * The forwarded alarms' pattern: this deployment's forwarding alarm, from
 * any region but us-east-1 (whose alarms email directly), turning to ALARM,
 * or back to OK from ALARM, as the alarms' own actions would. Forwarded
 * events keep their `region`.
 */
export function regionalAlarmsPattern(alarmName: string): EventPattern {
  return {
    source: ["aws.cloudwatch"],
    "detail-type": [ALARM_STATE_CHANGE],
    region: [{ "anything-but": ALERTING_REGION }],
    detail: {
      alarmName: [alarmName],
      $or: [{ state: { value: ["ALARM"] } }, { state: { value: ["OK"] }, previousState: { value: ["ALARM"] } }],
    },
  };
}

/**
 * The rule in us-east-1 that emails the watched regions' alarms: their state
 * changes arrive on the default bus (see `EventForwarding`) and are published
 * to the alert topic directly, as a readable sentence (input transformer),
 * not through the notifier. The topic and key policies admit this rule only.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
export class RegionalAlarms extends Construct {
  public readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: RegionalAlarmsProps) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, "rule", {
      provider: props.provider,
      name: props.ruleName,
      description: "Emails the watched regions' forwarding alarms (their state changes, forwarded to us-east-1)",
      eventPattern: Token.asString(Fn.jsonencode(regionalAlarmsPattern(props.alarmName))),
    });
    const text = [
      "CloudWatch alarm <alarm> in <region> is now <state> (<time>).",
      "When ALARM: events forwarded from <region> to us-east-1 could not be delivered after 24 hours of retries, so the regional alerts among them were NOT evaluated.",
      `They are kept 14 days in the forwarding dead-letter queue in <region>. See ${props.statusCommand} --watch-region <region>`,
    ].join(" ");
    new CloudwatchEventTarget(this, "target", {
      provider: props.provider,
      rule: this.rule.name,
      targetId: "alert-topic",
      arn: props.topicArn,
      inputTransformer: {
        inputPaths: { alarm: "$.detail.alarmName", state: "$.detail.state.value", region: "$.region", time: "$.time" },
        // A JSON string: SNS receives the sentence itself.
        inputTemplate: JSON.stringify(text),
      },
      retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      deadLetterConfig: { arn: props.deadLetterQueueArn },
    });
  }
}
