/**
 * Alarms on the delivery path, and whom they notify.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
import { sides, strings, unknownAfter } from "../plan-json";
import { list } from "../policy";
import { code, finding, flag, nameOf, Rule } from "./rule";

export const alarm: Rule = (rc) => {
  const { before, after } = sides(rc);
  const name = nameOf(rc, "alarm_name");
  if (before === null && after !== null) return [finding("strengthening", "alarms", rc, `Alarm ${name} is added.`)];
  if (before !== null && after === null) return [finding("weakening", "alarms", rc, `Alarm ${name} is removed.`)];
  if (before === null || after === null) return [];
  const out = flag(rc, "alarms", "actions_enabled", `Alarm ${name} no longer notifies anyone (actions disabled).`, `Alarm ${name} notifies again (actions enabled).`);
  if (!unknownAfter(rc, "alarm_actions")) {
    const dropped = strings(before.alarm_actions).filter((a) => !strings(after.alarm_actions).includes(a));
    if (dropped.length > 0) out.push(finding("weakening", "alarms", rc, `Alarm ${name} no longer notifies ${list(dropped.map(code))}.`));
  }
  return out;
};
