export type LogLevel = "info" | "warn" | "error";

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  readonly service: string;
  /** Receives one JSON line per entry; defaults to stdout/stderr. */
  readonly write?: (level: LogLevel, line: string) => void;
  readonly now?: () => Date;
}

/**
 * One JSON object per line with `level`, `service` and `message` first, so
 * CloudWatch Logs Insights can filter on `eventId` and `eventName`. Written
 * to the streams directly: console.log in Lambda prefixes text and would
 * break the JSON.
 */
export function createLogger({ service, write = writeToStd, now = () => new Date() }: LoggerOptions): Logger {
  const log = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    write(level, JSON.stringify({ level, timestamp: now().toISOString(), service, message, ...fields }));
  };
  return { info: log("info"), warn: log("warn"), error: log("error") };
}

function writeToStd(level: LogLevel, line: string): void {
  (level === "info" ? process.stdout : process.stderr).write(`${line}\n`);
}
