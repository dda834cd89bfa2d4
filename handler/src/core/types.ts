/** What the pure core produces for one incoming event: exactly one SNS publish. */
export interface Alert {
  /** Valid SNS subject (see `isValidSnsSubject`). */
  readonly subject: string;
  /** Human summary first, then the event JSON (shortened if it would not fit). */
  readonly message: string;
  /** SNS String message attributes for subscription filter policies; no empty values. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Facts for structured logs; never contains payload content. */
  readonly meta: AlertMeta;
}

export interface AlertMeta {
  readonly kind: "cloudtrail" | "unrecognised";
  /**
   * False when the event's `source` does not start with `aws.`: only AWS
   * services can send such events, anyone allowed events:PutEvents can send
   * the others.
   */
  readonly verified: boolean;
  /** Bounded and printable (see `show`), for log keys; never the raw field. */
  readonly eventId?: string;
  /** The EventBridge envelope's `id`, as a log key. */
  readonly eventBridgeId?: string;
  readonly eventName?: string;
  readonly eventSource?: string;
  /** Why the event was not recognised (kind "unrecognised" only). */
  readonly reason?: string;
  /** True when the JSON part was shortened to fit the SNS size limit. */
  readonly shortened: boolean;
  /** UTF-8 bytes SNS counts against its limit: message plus attributes. */
  readonly billedBytes: number;
}

export type Severity = "critical" | "high" | "medium";

/**
 * Optional labels a later EventBridge input transformer or rule can attach
 * (for example which preset matched). Both are shown, and exposed as
 * attributes, only when given.
 */
export interface AlertContext {
  readonly preset?: string;
  readonly severity?: Severity;
  /**
   * Readable names of account IDs (the deployment's `account_names`), shown
   * next to the ID; operator configuration, still shown through `show`.
   */
  readonly accountNames?: Readonly<Record<string, string>>;
}

/** A JSON object as parsed from the event; values are untrusted and untyped. */
export type JsonObject = { readonly [key: string]: unknown };

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/**
 * A non-empty string field, or undefined for anything else (missing, "",
 * number, null...). Own properties only: `eventName` is untrusted and is
 * also used as a key, and `"constructor"` must not find Object.prototype's.
 */
export function str(obj: JsonObject | undefined, key: string): string | undefined {
  if (obj === undefined || !Object.hasOwn(obj, key)) return undefined;
  const value = obj[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** `T` with properties that may be undefined turned into optional ones. */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * Drops undefined properties so optional fields are absent rather than
 * undefined (the tsconfig uses exactOptionalPropertyTypes).
 */
export function withDefined<T extends object>(value: T): Defined<T> {
  // A loop, not Object.fromEntries(entries.filter(...)): this runs a dozen times per event.
  // The keys are this codebase's own field names, never event data.
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as Defined<T>;
}
