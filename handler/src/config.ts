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
