/**
 * Entry point: configuration enters here and nowhere deeper.
 *
 * Synth-time settings (not Terraform variables, because providers and the
 * backend cannot depend on variables):
 * - `homeRegion` in cdktf.json "context": region of the trail and log bucket
 *   (default: whatever the AWS provider resolves, e.g. AWS_REGION).
 * - TF_STATE_BUCKET / TF_STATE_KEY / TF_STATE_REGION: keep state in S3 instead of a local file.
 */
import { App } from "cdktf";
import { join } from "node:path";
import { AlertingStack } from "./src/alerting-stack";
import { configureStateBackend } from "./src/state-backend";

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

const app = new App();
const stack = new AlertingStack(app, "cloudtrail-alerting", {
  handlerBundleDir: join(__dirname, "handler", "dist"),
  homeRegion: nonEmpty(app.node.tryGetContext("homeRegion")),
});
configureStateBackend(stack, {
  bucket: nonEmpty(process.env.TF_STATE_BUCKET),
  key: nonEmpty(process.env.TF_STATE_KEY),
  region: nonEmpty(process.env.TF_STATE_REGION),
});
app.synth();
