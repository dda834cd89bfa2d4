/** Where log files come from: a folder or an S3 prefix, listed lazily, read on demand. */
export interface LogFile {
  /** Path or `s3://bucket/key`, for messages. */
  readonly name: string;
  readonly size?: number;
  read(): Promise<Buffer>;
}

export interface LogSource {
  /** What `--logs` named, for the report. */
  readonly description: string;
  /** Throws, before anything is read, when the source cannot be listed. */
  check(): Promise<void>;
  files(): AsyncIterable<LogFile>;
}
