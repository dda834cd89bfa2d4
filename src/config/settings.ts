/**
 * Synth-time settings: what providers and the backend need before Terraform
 * runs, so they cannot be Terraform variables. Parsed once, here, from the
 * cdktf.json "context" and the environment that `main.ts` hands over.
 */
export interface SynthSettings {
  /**
   * Region of the trail and its log bucket (`homeRegion` in context).
   * @default - the AWS provider's own resolution (AWS_REGION, profile), as in plain Terraform
   */
  readonly homeRegion?: string;
  /**
   * Regions whose regional events are forwarded to us-east-1 (`watchRegions` in context).
   * @default - the home region
   */
  readonly watchRegions?: string[];
  /** S3 state backend (TF_STATE_BUCKET / TF_STATE_KEY / TF_STATE_REGION); local state when the bucket is unset. */
  readonly stateBackend: { readonly bucket?: string; readonly key?: string; readonly region?: string };
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/** A list from context: a JSON array, or a comma-separated string (`cdktf synth -c` passes strings). */
const listOf = (value: unknown): string[] | undefined => {
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : undefined;
  const list = items?.map(nonEmpty).filter((item): item is string => item !== undefined);
  return list !== undefined && list.length > 0 ? list : undefined;
};

/** Reads the settings; region names are checked by the constructs that use them. */
export function readSynthSettings(context: (key: string) => unknown, env: Readonly<Record<string, string | undefined>>): SynthSettings {
  const homeRegion = nonEmpty(context("homeRegion"));
  const watchRegions = listOf(context("watchRegions"));
  return {
    homeRegion,
    watchRegions,
    stateBackend: { bucket: nonEmpty(env.TF_STATE_BUCKET), key: nonEmpty(env.TF_STATE_KEY), region: nonEmpty(env.TF_STATE_REGION) },
  };
}
