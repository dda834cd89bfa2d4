/**
 * `--since` / `--until`: which records count, and which folders of the
 * CloudTrail layout (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`)
 * can hold them.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 */

export interface TimeWindow {
  /** Inclusive, epoch ms. */
  readonly since?: number;
  /** Inclusive, epoch ms. */
  readonly until?: number;
}

const DAY_MS = 86_400_000;

/**
 * A date (`2024-05-01`, the whole day in UTC) or a date and time
 * (`2024-05-01T12:00:00Z`). `end` makes a bare date mean its last millisecond.
 * Throws with the option's name when the text is not one.
 */
export function parseDate(text: string, option: string, end: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = dateOnly ? Date.parse(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms) || (dateOnly && new Date(ms).toISOString().slice(0, 10) !== text)) {
    throw new Error(`${option} "${text}" is not a date: write YYYY-MM-DD (a whole UTC day) or an ISO 8601 time such as 2024-05-01T12:00:00Z`);
  }
  return dateOnly && end ? ms + DAY_MS - 1 : ms;
}

export function inWindow(window: TimeWindow, eventTime: unknown): boolean {
  if (window.since === undefined && window.until === undefined) return true;
  if (typeof eventTime !== "string") return false;
  const ms = Date.parse(eventTime);
  return !Number.isNaN(ms) && (window.since === undefined || ms >= window.since) && (window.until === undefined || ms <= window.until);
}

const DATED_FOLDER = /(?:^|\/)CloudTrail(?:-Insight)?\/[a-z0-9-]+\/(\d{4})(?:\/(\d{2}))?(?:\/(\d{2}))?\/?$/;

/**
 * Whether a folder of the layout may hold records of the window. CloudTrail
 * files a log under the day it delivers it, up to about 15 minutes after the
 * calls in it, so a folder is kept when its day is within a day of the window.
 */
export function folderMayHold(window: TimeWindow, folder: string): boolean {
  const match = DATED_FOLDER.exec(folder);
  if (match === null) return true;
  const [, year, month, day] = match;
  const start = Date.UTC(Number(year), month !== undefined ? Number(month) - 1 : 0, day !== undefined ? Number(day) : 1);
  const end =
    day !== undefined
      ? start + DAY_MS
      : month !== undefined
        ? Date.UTC(Number(year), Number(month), 1)
        : Date.UTC(Number(year) + 1, 0, 1);
  return (window.since === undefined || end + DAY_MS > window.since) && (window.until === undefined || start - DAY_MS <= window.until);
}

/** Folders that hold no CloudTrail records: digests are signatures of log files. */
export function skippedFolder(folder: string): boolean {
  return /(?:^|\/)CloudTrail-Digest\/?$/.test(folder);
}

export const isLogFileName = (name: string): boolean => name.endsWith(".json") || name.endsWith(".json.gz");
