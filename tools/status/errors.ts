/** An SDK error that means "there is no such resource" (names differ by service). */
export const errorName = (err: unknown): string => (err instanceof Error ? err.name : "");
export const isMissing = (err: unknown): boolean =>
  /NotFound|NonExistent|DoesNotExist/i.test(errorName(err)) || /does not exist|not found/i.test(err instanceof Error ? err.message : "");
