/**
 * The trail that records the API calls, and the log group it may deliver to.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html
 */
import type { Finding } from "../finding";
import { Attributes, bool, isRecord, sides, str, unknownAfter } from "../plan-json";
import { list } from "../policy";
import { encryptionKey } from "./encryption";
import { finding, flag, nameOf, Rule } from "./rule";

const TRAIL_FLAGS: readonly [attribute: string, on: string, off: string][] = [
  ["is_multi_region_trail", "records every region (multi-region on)", "no longer records every region (multi-region off): activity in other regions goes unseen"],
  ["include_global_service_events", "records global service events such as IAM again", "no longer records global service events: IAM calls go unseen"],
  ["enable_log_file_validation", "validates log files again (log file validation on)", "no longer validates log files (log file validation off): tampering with delivered logs cannot be detected"],
  ["enable_logging", "starts logging", "stops logging: no API call is recorded and no alert fires"],
];

/** Whether the trail records management events (IAM calls are management events). Advanced selectors are not interpreted. */
function managementEvents(attrs: Attributes): boolean | undefined {
  const advanced = attrs.advanced_event_selector;
  if (Array.isArray(advanced) && advanced.length > 0) return undefined;
  const selectors = Array.isArray(attrs.event_selector) ? attrs.event_selector.filter(isRecord) : [];
  if (selectors.length === 0) return true;
  return selectors.some((s) => s.include_management_events !== false && s.read_write_type !== "ReadOnly");
}

export const trail: Rule = (rc, ctx) => {
  const { before, after } = sides(rc);
  const name = nameOf(rc, "name");
  if (before !== null && after === null) {
    // A `moved` block (v0.1.0's trail became `[0]` of a counted resource) keeps before and after: it never gets here.
    if (ctx.variables.create_trail?.value === false) {
      return [finding("weakening", "trail", rc, `Trail ${name} is deleted (\`create_trail = false\`): alerts now depend on an organization trail recording the management events of every covered account and region; without one, no API call is recorded and no alert fires.`)];
    }
    return [finding("weakening", "trail", rc, `Trail ${name} is deleted: API calls are no longer recorded and no alert fires.`)];
  }
  if (after === null) return [];
  if (before === null) {
    const on = TRAIL_FLAGS.filter(([attribute]) => bool(after, attribute) === true).map(([attribute]) => TRAIL_LABELS[attribute]);
    const off = TRAIL_FLAGS.filter(([attribute]) => bool(after, attribute) === false).map(([attribute]) => TRAIL_LABELS[attribute]);
    const out = [finding("strengthening", "trail", rc, `New trail ${name}${on.length > 0 ? `: ${list(on)}` : ""}.`)];
    if (off.length > 0) out.push(finding("change", "trail", rc, `New trail ${name} without ${list(off)}.`));
    return out;
  }
  const out: Finding[] = [];
  for (const [attribute, on, off] of TRAIL_FLAGS) {
    out.push(...flag(rc, "trail", attribute, `Trail ${name} ${off}.`, `Trail ${name} ${on}.`));
  }
  const was = managementEvents(before);
  const will = managementEvents(after);
  if (!unknownAfter(rc, "event_selector")) {
    if (was === true && will === false) out.push(finding("weakening", "trail", rc, `Trail ${name} stops recording management (write) events: IAM calls go unseen.`));
    if (was === false && will === true) out.push(finding("strengthening", "trail", rc, `Trail ${name} records management events again.`));
  }
  if (str(before, "cloud_watch_logs_group_arn") !== undefined && str(after, "cloud_watch_logs_group_arn") === undefined && !unknownAfter(rc, "cloud_watch_logs_group_arn")) {
    out.push(finding("weakening", "trail", rc, `Trail ${name} no longer delivers to CloudWatch Logs.`));
  }
  out.push(...encryptionKey(rc, "kms_key_id", `Trail ${name}`));
  return out;
};

const TRAIL_LABELS: Readonly<Record<string, string>> = {
  is_multi_region_trail: "multi-region",
  include_global_service_events: "global service events",
  enable_log_file_validation: "log file validation",
  enable_logging: "logging on",
};

export const logGroup: Rule = (rc) => {
  const { before, after } = sides(rc);
  const group = nameOf(rc, "name");
  const out = encryptionKey(rc, "kms_key_id", `Log group ${group}`);
  if (before === null || after === null || unknownAfter(rc, "retention_in_days")) return out;
  // 0 means "never expire".
  const days = (value: unknown): number => (typeof value === "number" && value > 0 ? value : Infinity);
  const was = days(before.retention_in_days);
  const will = days(after.retention_in_days);
  if (will < was) out.push(finding("change", "trail", rc, `Log group ${group} keeps logs for ${will} days instead of ${was === Infinity ? "ever" : `${was} days`}.`));
  return out;
};
