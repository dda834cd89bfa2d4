import { Construct } from "constructs";
import { TerraformLocal, Token } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Composite } from "../shared/composite";
import { expr } from "../shared/expressions";
import type { DeploymentNaming } from "../config/naming";
import { ALERTING_REGION, REGION_NAME } from "../config/regions";
import { EventForwarding } from "./event-forwarding";
import { forwardingPattern } from "./forwarding-pattern";
import { ForwardingRole } from "./forwarding-role";

export interface RegionalForwardingProps {
  readonly naming: DeploymentNaming;
  /** The us-east-1 provider (the forwarding role is global; it is declared there). */
  readonly alerting: AwsProvider;
  /** Default tags for the per-region providers. */
  readonly defaultTags: { tags: { [key: string]: string } }[];
  /** `local.alert_preset_rules`: forwarding exists only while a regional part is enabled. */
  readonly enabledPresetRules: TerraformLocal;
  /** `<data source id>.name` of the home region, for the plan-time condition. */
  readonly homeRegionId: string;
  /** @default - see AlertingStackProps.homeRegion */
  readonly homeRegion?: string;
  /** @default - see AlertingStackProps.watchRegions */
  readonly watchRegions?: string[];
}

/**
 * Forwarding from each watched region other than us-east-1: the enabled
 * regional preset parts, on that region's default bus, to us-east-1's.
 * With no region configured at synth time, the home region is only known
 * at plan time, so its forwarding is created only if it is not us-east-1.
 */
export class RegionalForwarding extends Composite {
  constructor(scope: Construct, id: string, props: RegionalForwardingProps) {
    super(scope, id);
    for (const region of props.watchRegions ?? []) {
      if (!REGION_NAME.test(region)) {
        throw new Error(`watchRegions: "${region}" is not an AWS region name such as "eu-west-1". Fix the "watchRegions" context in cdktf.json.`);
      }
    }
    const explicit = [...new Set(props.watchRegions ?? (props.homeRegion !== undefined ? [props.homeRegion] : []))].filter(
      (region) => region !== ALERTING_REGION,
    );
    const homeResolvedAtPlan = props.watchRegions === undefined && props.homeRegion === undefined;
    if (explicit.length === 0 && !homeResolvedAtPlan) return;

    const regional = new TerraformLocal(
      this,
      "alert_forwarded_rules",
      expr(`{ for key, rule in local.${props.enabledPresetRules.friendlyUniqueId} : key => rule if rule.scope == "regional" }`),
    );
    const anyRegional = `length(local.${regional.friendlyUniqueId}) > 0`;
    // data.aws_region.home_region: the default provider's region, read at plan time.
    const homeIsElsewhere = `data.aws_region.${props.homeRegionId} != "${ALERTING_REGION}"`;
    const count = (condition: string): number => Token.asNumber(expr(`${condition} ? 1 : 0`));

    const { naming } = props;
    const roleName = `${naming.name}-event-forwarding`;
    const role = new ForwardingRole(this, "forwarding-role", {
      provider: props.alerting,
      roleName,
      accountId: naming.accountId,
      targetBusArn: naming.alertingBusArn,
      count: count(explicit.length > 0 ? anyRegional : `${anyRegional} && ${homeIsElsewhere}`),
    });
    // The alarm about forwarding reaches us-east-1 with a role of its own: a broken forwarding role must not silence it too.
    const alarmRoleName = `${naming.name}-alarm-forwarding`;
    const alarmRole = new ForwardingRole(this, "alarm-forwarding-role", {
      provider: props.alerting,
      roleName: alarmRoleName,
      accountId: naming.accountId,
      targetBusArn: naming.alertingBusArn,
      count: count(explicit.length > 0 ? anyRegional : `${anyRegional} && ${homeIsElsewhere}`),
    });
    const forwarding = {
      ruleName: `${naming.name}-forward-to-alerting-region`,
      eventPattern: JSON.stringify(forwardingPattern()),
      targetBusArn: naming.alertingBusArn,
      // A name-built ARN: the role is counted (0 or 1), and the targets depend on it explicitly.
      roleArn: `arn:${naming.partition}:iam::${naming.accountId}:role/${roleName}`,
      dependsOn: [role.role, role.policy],
      accountId: naming.accountId,
      partition: naming.partition,
      deadLetterQueueName: naming.forwardingDlqName,
      alarmName: naming.forwardingDlqAlarmName,
      alarmRuleName: `${naming.name}-forward-alarms-to-alerting-region`,
      alarmRoleArn: `arn:${naming.partition}:iam::${naming.accountId}:role/${alarmRoleName}`,
      alarmDependsOn: [alarmRole.role, alarmRole.policy],
      statusCommand: naming.statusCommand,
    };

    for (const region of explicit) {
      const provider = new AwsProvider(this, `aws_watch_${region}`, {
        alias: `watch_${region.replace(/-/g, "_")}`,
        region,
        defaultTags: props.defaultTags,
      });
      new EventForwarding(this, `forwarding-${region}`, { ...forwarding, provider, region, count: count(anyRegional) });
    }
    if (homeResolvedAtPlan) {
      new EventForwarding(this, "forwarding-home", {
        ...forwarding,
        region: naming.homeRegion,
        count: count(`${anyRegional} && ${homeIsElsewhere}`),
      });
    }
  }
}
