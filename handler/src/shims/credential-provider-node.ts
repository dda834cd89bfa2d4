/**
 * Build-time stand-in for `@aws-sdk/credential-provider-node` (see build.mjs).
 *
 * The SDK's default chain also bundles SSO, INI files, process, web identity,
 * container and instance-metadata providers. Lambda hands the function's role
 * credentials to the runtime in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN, so the environment provider is the only link that can
 * succeed there, and the rest is dead weight in the bundle and at cold start.
 */
import { fromEnv, type FromEnvInit } from "@aws-sdk/credential-provider-env";

export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
