/**
 * Entry point: configuration enters here and nowhere deeper.
 *
 * Synth-time settings (not Terraform variables, because providers and the
 * backend cannot depend on variables):
 * - `homeRegion` in cdktf.json "context": region of the trail and log bucket
 *   (default: whatever the AWS provider resolves, e.g. AWS_REGION).
 * - `watchRegions` in cdktf.json "context": regions whose regional events
 *   (CloudTrail, S3, KMS, EC2, Config, root calls, console sign-in) are
 *   forwarded to us-east-1, as a list or a comma-separated string
 *   (default: the home region; us-east-1 is always watched).
 * - TF_STATE_BUCKET / TF_STATE_KEY / TF_STATE_REGION: keep state in S3 instead of a local file.
 */
import { App } from "cdktf";
import { join } from "node:path";
import { AlertingStack } from "./src/alerting-stack";
import { configureStateBackend } from "./src/state-backend";

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/** A list from context: a JSON array, or a comma-separated string (`cdktf synth -c` passes strings). */
const listOf = (value: unknown): string[] | undefined => {
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : undefined;
  const list = items?.map(nonEmpty).filter((item): item is string => item !== undefined);
  return list !== undefined && list.length > 0 ? list : undefined;
};

const app = new App();
const stack = new AlertingStack(app, "cloudtrail-alerting", {
  handlerBundleDir: join(__dirname, "handler", "dist"),
  homeRegion: nonEmpty(app.node.tryGetContext("homeRegion")),
  watchRegions: listOf(app.node.tryGetContext("watchRegions")),
});
configureStateBackend(stack, {
  bucket: nonEmpty(process.env.TF_STATE_BUCKET),
  key: nonEmpty(process.env.TF_STATE_KEY),
  region: nonEmpty(process.env.TF_STATE_REGION),
});
app.synth();
