/**
 * Reads a required environment variable once, at module load, and fails the
 * init phase with a message naming it: a misconfigured function should fail
 * loudly at deploy/first invoke, not publish nowhere.
 */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name]?.trim();
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: the notifier needs ${name} (the SNS topic ARN to publish alerts to) in its environment`);
  }
  return value;
}

/**
 * `ACCOUNT_NAMES`: a JSON object of account ID to readable name (the
 * deployment's `account_names`), read once at module load. Absent or `{}`:
 * no names. Anything else fails the init phase with a message naming it.
 */
export function readAccountNames(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string>> {
  const raw = env.ACCOUNT_NAMES?.trim();
  if (raw === undefined || raw === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err: unknown) {
    throw new Error(`ACCOUNT_NAMES is not JSON (${err instanceof Error ? err.message : String(err)}): it must be an object of account IDs to names`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string")) {
    throw new Error('ACCOUNT_NAMES must be a JSON object of account IDs to names, such as {"111122223333":"prod"}');
  }
  const names: Record<string, string> = Object.create(null);
  for (const [id, name] of Object.entries(parsed as Record<string, string>)) names[id] = name;
  return names;
}

/** An SNS topic ARN (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html: names of 1-256 letters, digits, `-` and `_`, `.fifo` for FIFO). */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * An optional topic ARN (the chat and structured-alert topics exist only when
 * configured): undefined when unset or blank; a value that is not a topic ARN
 * fails the init phase, naming the variable.
 */
export function optionalTopicArn(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === "") return undefined;
  if (!TOPIC_ARN.test(value)) throw new Error(`${name} is not an SNS topic ARN: ${JSON.stringify(value.slice(0, 300))}`);
  return value;
}
