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
