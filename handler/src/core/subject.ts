import { accountName } from "./account.js";
import type { Facts } from "./facts.js";
import { isValidSnsSubject, SNS_SUBJECT_MAX_CHARS, toSubjectFragment, toSubjectName, truncateChars } from "./text.js";
import type { AlertContext } from "./types.js";

export const SERVICE_NAME = "cloudtrail-alerting-notifier";

/** Subject used when an event cannot be summarised; also the last-resort subject. */
export const UNRECOGNISED_SUBJECT = `Unrecognised event received by ${SERVICE_NAME}`;

/** First word of the subject of every event an AWS service did not emit (see isVerifiedSource). */
export const UNVERIFIED_MARKER = "[UNVERIFIED]";

const ACTOR_MAX = 40;
const CODE_MAX = 48;

/**
 * Most important first: the UNVERIFIED marker, severity, root marker, event
 * name, who, the account (its name too, when configured) and region, and
 * whether it failed. Who is `root` for the root
 * user and `<kind>/<name>` for everyone else (`user/root` is an IAM user
 * named root), the name cut in the middle. When the whole would pass the SNS
 * limit, the actor is squeezed first (down to 16 chars), then the error code
 * (down to 12), then the actor again (down to 8), so "FAILED" and the account
 * always survive. Budgets are computed, not searched: each fragment is built
 * from a bounded slice of its field at most twice.
 */
export function cloudTrailSubject(facts: Facts, context: AlertContext): string {
  const { actor } = facts;
  const prefix =
    (facts.verified ? "" : `${UNVERIFIED_MARKER} `) +
    (context.severity !== undefined ? `[${context.severity.toUpperCase()}] ` : "") +
    (actor.isRoot && facts.verified ? "[ROOT] " : "");
  const eventName = toSubjectFragment(facts.eventName ?? "UnknownEvent", 40) || "UnknownEvent";
  // In an organization the account and region say where to look first: `in workload-a (111122223333) eu-west-1`.
  const name = accountName(facts, context);
  const where = [
    name !== undefined ? toSubjectFragment(name, 24) : undefined,
    facts.account !== undefined ? (name !== undefined ? `(${toSubjectFragment(facts.account, 20)})` : toSubjectFragment(facts.account, 20)) : undefined,
    facts.region !== undefined ? toSubjectFragment(facts.region, 16) : undefined,
  ].filter((part) => part !== undefined && part !== "");
  const account = where.length > 0 ? ` in ${where.join(" ")}` : "";
  const code = facts.failure?.code;
  const failed = facts.failure === undefined ? "" : code === undefined ? " FAILED" : " FAILED ";
  const kind = actor.isRoot ? "" : `${actor.kind}/`;
  const fixed = `${prefix}${eventName} by ${kind}`.length + account.length + failed.length;

  const actorName = (max: number): string => (actor.isRoot ? "root" : toSubjectName(actor.name, max) || "unknown");
  const codeText = (max: number): string => (code === undefined ? "" : toSubjectFragment(code, max) || "?");
  const fullName = actorName(ACTOR_MAX);
  const fullCode = codeText(CODE_MAX);
  let nameMax = fullName.length;
  let codeMax = fullCode.length;
  let over = fixed + nameMax + codeMax - SNS_SUBJECT_MAX_CHARS;
  for (const [which, floor] of [["name", 16], ["code", 12], ["name", 8]] as const) {
    if (over <= 0) break;
    const current = which === "name" ? nameMax : codeMax;
    const cut = Math.min(over, Math.max(0, current - floor));
    if (which === "name") nameMax -= cut;
    else codeMax -= cut;
    over -= cut;
  }
  const shownName = nameMax < fullName.length ? actorName(nameMax) : fullName;
  const shownCode = codeMax < fullCode.length ? codeText(codeMax) : fullCode;

  const subject = truncateChars(`${prefix}${eventName} by ${kind}${shownName}${account}${failed}${shownCode}`, SNS_SUBJECT_MAX_CHARS);
  // Final guard: whatever went wrong above, never hand SNS a subject it rejects.
  return isValidSnsSubject(subject) ? subject : fallbackSubject(facts.verified);
}

export function fallbackSubject(verified: boolean): string {
  return verified ? UNRECOGNISED_SUBJECT : `${UNVERIFIED_MARKER} ${UNRECOGNISED_SUBJECT}`;
}
