/**
 * Entry point: configuration enters here and nowhere deeper.
 *
 * Synth-time settings (not Terraform variables, because providers and the
 * backend cannot depend on variables), read by `src/config/settings.ts`:
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
import { configureStateBackend } from "./src/config/state-backend";
import { readSynthSettings } from "./src/config/settings";
import { AlertingStack } from "./src/stacks/alerting-stack";

const app = new App();
const settings = readSynthSettings((key) => app.node.tryGetContext(key), process.env);
const stack = new AlertingStack(app, "cloudtrail-alerting", {
  handlerBundleDir: join(__dirname, "handler", "dist"),
  homeRegion: settings.homeRegion,
  watchRegions: settings.watchRegions,
});
configureStateBackend(stack, settings.stateBackend);
app.synth();
