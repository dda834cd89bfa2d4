/**
 * Every preset on the moto emulator: deploy with all presets enabled and
 * ignored principals taken from the samples, send every CloudTrail sample
 * (plus a few variants aimed at this deployment's own resources), and compare
 * what each deployed rule delivers with what the preset must select, computed
 * from the records' fields. Deliveries are read through a probe target that
 * copies the notifier target's input transformer, so each message is the
 * labelled wrapper the notifier receives; the deployed code then turns one
 * per preset into an alert that names preset and severity. One apply for the
 * whole file; plan (no changes), then the liveness tests on the same
 * deployment (../liveness/liveness.e2e.ts), then destroy.
 *
 * moto 5.2.1's pattern matcher (moto/events/models.py, EventPattern)
 * supports every construct the presets use: $or (nested), anything-but
 * (string, list), exists, prefix, suffix. Cross-region bus targets are
 * delivered (models.py Rule.send_to_targets), so forwarding is exercised too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SubscribeCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRESET_NAMES, presetRules, ruleSuffix } from "../../src/detection";
import { createQueue, deleteQueue, drainQueue, type Queue } from "../support/aws";
import type { Json } from "../support/synth";
import {
  ALERTING_REGION,
  deploy,
  deployedCode,
  DETAIL_TYPES,
  detailTypeOf,
  loadSamples,
  missingTools,
  runHandler,
  sendEvents,
  wrapRecord,
  type Deployment,
} from "../e2e/harness";
import { attachLabelledProbe } from "./labelled-probe";
import { compilePattern } from "../../tools/event-pattern";
import { describeLiveness, type LivenessVars } from "../liveness/liveness.e2e";

const HOME_REGION = "eu-west-1";
const ACCOUNT = "123456789012";
const APP = "e2e-presets";
const IGNORED = ["arn:aws:iam::123837392027:user/bert-jan", "arn:aws:iam::123456789012:role/a-role"];
const IAM_EVENTS = ["CreateUser", "DeleteUser", "CreateAccessKey", "AttachUserPolicy", "PutUserPolicy"];
/** What the liveness tests on this deployment need (../liveness/liveness.e2e.ts); no preset test reads them. */
const LIVENESS: LivenessVars = { application_name: APP, heartbeat_interval_minutes: 10, sns_endpoint: ["oncall@example.com"] };
const OWN = {
  trail: `${APP}-trail`,
  trailArn: `arn:aws:cloudtrail:${HOME_REGION}:${ACCOUNT}:trail/${APP}-trail`,
  logBucket: `${APP}-logs-${ACCOUNT}-${HOME_REGION}`,
};

const missing = missingTools();
if (missing.length > 0) console.warn(`\n!!! PRESETS EMULATOR SUITE SKIPPED: ${missing.join(", ")} not on PATH.\n`);

interface Input {
  readonly file: string;
  readonly record: Json;
}

// ------------------------------------------------------------ expectations, from the records' fields

const rp = (r: Json): Json => r.requestParameters ?? {};
const isApi = (r: Json): boolean => detailTypeOf(r) === DETAIL_TYPES.apiCall;
const isSignIn = (r: Json): boolean => detailTypeOf(r) === DETAIL_TYPES.consoleSignIn;
const api = (service: string, names: string[]) => (r: Json): boolean =>
  isApi(r) && r.eventSource === `${service}.amazonaws.com` && names.includes(r.eventName);
const ignored = (r: Json): boolean =>
  IGNORED.includes(r.userIdentity?.arn) || IGNORED.includes(r.userIdentity?.sessionContext?.sessionIssuer?.arn);
const trailIsOwn = (v: unknown): boolean => v === OWN.trail || (typeof v === "string" && v.endsWith(`:trail/${OWN.trail}`));
const root = (r: Json): boolean =>
  (isApi(r) || isSignIn(r)) &&
  r.userIdentity?.type === "Root" &&
  (r.userIdentity?.invokedBy === undefined || r.userIdentity.invokedBy === "signin.amazonaws.com") &&
  r.eventType !== undefined &&
  r.eventType !== "AwsServiceEvent";
const consoleLogin = (r: Json): boolean => isSignIn(r) && r.eventSource === "signin.amazonaws.com" && r.eventName === "ConsoleLogin";
const signInNoMfa = (mfaOk: (v: unknown) => boolean) => (r: Json): boolean =>
  consoleLogin(r) &&
  r.userIdentity?.type === "IAMUser" &&
  r.additionalEventData?.MFAUsed !== undefined &&
  mfaOk(r.additionalEventData.MFAUsed) &&
  r.responseElements?.ConsoleLogin === "Success";
const failedSignIn = (r: Json): boolean => consoleLogin(r) && r.responseElements?.ConsoleLogin === "Failure";
const POLICY = ["AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "DetachUserPolicy", "DetachRolePolicy", "DetachGroupPolicy", "PutUserPolicy", "PutRolePolicy", "PutGroupPolicy", "DeleteUserPolicy", "DeleteRolePolicy", "DeleteGroupPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion"];

/** What each rule must deliver, stated from the issue, independently of the patterns. */
const SELECTS: Record<string, (r: Json) => boolean> = {
  "iam-events": (r) => api("iam", IAM_EVENTS)(r) && !ignored(r),
  "root-activity": root,
  "monitoring-tamper/cloudtrail": (r) =>
    api("cloudtrail", ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"])(r) &&
    (trailIsOwn(rp(r).name) || trailIsOwn(rp(r).trailName)),
  "monitoring-tamper/s3": (r) =>
    api("s3", ["PutBucketPolicy", "DeleteBucketPolicy", "PutBucketLifecycle", "PutBucketVersioning", "DeleteBucket"])(r) &&
    [OWN.logBucket, `${APP}-s3logs-${ACCOUNT}-${HOME_REGION}`].includes(rp(r).bucketName),
  "monitoring-tamper/events": (r) =>
    api("events", ["DisableRule", "DeleteRule", "RemoveTargets", "PutRule"])(r) &&
    [rp(r).name, rp(r).rule].some((n) => typeof n === "string" && n.startsWith(`${APP}-`)),
  "monitoring-tamper/lambda": (r) =>
    isApi(r) &&
    r.eventSource === "lambda.amazonaws.com" &&
    /^(UpdateFunctionCode|UpdateFunctionConfiguration|DeleteFunction|PutFunctionEventInvokeConfig|PutFunctionConcurrency|RemovePermission)/.test(r.eventName) &&
    [`${APP}-notifier`].some((n) => rp(r).functionName === n || String(rp(r).functionName).endsWith(`:function:${n}`)),
  "monitoring-tamper/sns": (r) =>
    api("sns", ["DeleteTopic", "SetTopicAttributes", "Unsubscribe"])(r) && String(rp(r).topicArn ?? rp(r).subscriptionArn).startsWith(`arn:aws:sns:us-east-1:${ACCOUNT}:${APP}-alerts`),
  "monitoring-tamper/iam": (r) =>
    api("iam", ["DeleteRole", "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary"])(r) &&
    String(rp(r).roleName).startsWith(`${APP}-`),
  "monitoring-tamper/cloudformation": (r) =>
    api("cloudformation", ["DeleteStack", "UpdateStack", "UpdateTerminationProtection"])(r) &&
    (String(rp(r).stackName).startsWith(`StackSet-${APP}-`) || String(rp(r).stackName).includes(`:stack/StackSet-${APP}-`)),
  "iam-persistence": (r) =>
    api("iam", ["CreateLoginProfile", "UpdateLoginProfile", "CreateAccessKey", "UpdateAccessKey", "CreateUser", "CreateRole", "AddUserToGroup", "UpdateAssumeRolePolicy", "CreateServiceSpecificCredential", "UploadSSHPublicKey", "UploadSigningCertificate", "AddRoleToInstanceProfile"])(r) && !ignored(r),
  "iam-privilege-escalation": (r) =>
    api("iam", [...POLICY, "SetDefaultPolicyVersion", "PutUserPermissionsBoundary", "PutRolePermissionsBoundary", "DeleteUserPermissionsBoundary", "DeleteRolePermissionsBoundary"])(r) && !ignored(r),
  "iam-federation": (r) => /(SAMLProvider|OpenIDConnectProvider)/.test(r.eventName) && api("iam", [r.eventName])(r) && !ignored(r),
  "mfa-tampering": (r) =>
    api("iam", ["CreateVirtualMFADevice", "EnableMFADevice", "ResyncMFADevice", "DeactivateMFADevice", "DeleteVirtualMFADevice"])(r) && !ignored(r),
  "console-signin/no-mfa": signInNoMfa((v) => v === "No"),
  "console-signin/failed": failedSignIn,
  "account-guardrails/iam": api("iam", ["DeleteAccountPasswordPolicy", "UpdateAccountPasswordPolicy"]),
  "account-guardrails/organizations": api("organizations", ["LeaveOrganization", "CreatePolicy", "UpdatePolicy", "DeletePolicy", "AttachPolicy", "DetachPolicy", "EnablePolicyType", "DisablePolicyType"]),
  "cis-aws-foundations/root": root,
  "cis-aws-foundations/unauthorized": (r) =>
    isApi(r) && typeof r.errorCode === "string" && (r.errorCode.endsWith("UnauthorizedOperation") || r.errorCode.startsWith("AccessDenied")),
  "cis-aws-foundations/signin-no-mfa": signInNoMfa((v) => v !== "Yes"),
  "cis-aws-foundations/iam-policy": api("iam", POLICY),
  "cis-aws-foundations/cloudtrail": api("cloudtrail", ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]),
  "cis-aws-foundations/signin-failure": failedSignIn,
  "cis-aws-foundations/kms": api("kms", ["DisableKey", "ScheduleKeyDeletion"]),
  "cis-aws-foundations/s3-policy": api("s3", ["PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication"]),
  "cis-aws-foundations/config": api("config", ["StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"]),
  "cis-aws-foundations/ec2-network": (r) =>
    isApi(r) && r.eventSource === "ec2.amazonaws.com" && /^(Authorize|Revoke|Create|Delete|Replace|Attach|Detach|Disassociate|Modify|Accept|Reject|Disable|Enable)(SecurityGroup|NetworkAcl|CustomerGateway|InternetGateway|Route|Vpc|ClassicLink)/.test(r.eventName),
};

// ------------------------------------------------------------ inputs: the corpus, plus variants aimed at this deployment

function variants(byFile: Map<string, Json>): Input[] {
  const clone = (file: string, edit: (r: Json) => void): Json => {
    const r = structuredClone(byFile.get(file));
    if (r === undefined) throw new Error(`no sample ${file}`);
    edit(r);
    return r;
  };
  const ignoredUser = byFile.get("events/iam/CreateAccessKey__1.json").userIdentity; // bert-jan, in IGNORED
  return [
    {
      file: "variant: StopLogging of this trail by an ignored principal",
      record: clone("events/cloudtrail/StopLogging__4.json", (r) => {
        r.requestParameters = { name: OWN.trail };
        r.userIdentity = ignoredUser;
      }),
    },
    { file: "variant: DeleteTrail of this trail by ARN", record: clone("events/cloudtrail/DeleteTrail__2.json", (r) => (r.requestParameters = { name: OWN.trailArn })) },
    { file: "variant: PutEventSelectors on this trail", record: clone("events/cloudtrail/PutEventSelectors__1.json", (r) => (r.requestParameters.trailName = OWN.trail)) },
    { file: "variant: DeleteBucket of the log bucket", record: clone("events/s3/DeleteBucket__3.json", (r) => (r.requestParameters = { bucketName: OWN.logBucket })) },
    { file: "variant: PutRule on this deployment's rule, by root", record: clone("events/events/PutRule__1.json", (r) => (r.requestParameters.name = `${APP}-iam-events`)) },
    {
      file: "variant: PutRolePolicy on this deployment's notifier role",
      record: clone("events/iam/AttachRolePolicy__1.json", (r) => {
        r.eventName = "PutRolePolicy";
        r.requestParameters = { roleName: `${APP}-notifier`, policyName: "escalate" };
        delete r.errorCode;
        delete r.errorMessage;
      }),
    },
    {
      // The corpus has no CloudFormation write: a real record retargeted.
      file: "variant: DeleteStack of a stack this deployment's StackSet created",
      record: clone("events/iam/CreateRole__5.json", (r) => {
        r.eventSource = "cloudformation.amazonaws.com";
        r.eventName = "DeleteStack";
        r.requestParameters = { stackName: `StackSet-${APP}-member-forwarding-0123abcd` };
        delete r.errorCode;
        delete r.errorMessage;
      }),
    },
    {
      // The corpus has no SAML/OIDC provider event: a real IAM write record with the event name changed.
      file: "variant: CreateSAMLProvider (no federation event in the corpus)",
      record: clone("events/iam/CreateRole__5.json", (r) => {
        r.eventName = "CreateSAMLProvider";
        r.requestParameters = { name: "corp-idp" };
      }),
    },
    {
      file: "variant: CreateAccessKey by a session of an ignored role",
      record: clone("events/iam/CreateAccessKey__2.json", (r) => (r.userIdentity = byFile.get("events/iam/AttachUserPolicy__3.json").userIdentity)),
    },
  ];
}

// ------------------------------------------------------------ the run

describe.skipIf(missing.length > 0)("presets on the moto emulator", () => {
  let deployment: Deployment;
  let inputs: Input[];
  const delivered = new Map<string, string[]>(); // rule key -> input files
  const firstWrapper = new Map<string, Json>(); // preset -> a labelled message as delivered
  const probes = new Map<string, Queue>();
  const keyOfRule = new Map<string, string>();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "cta-presets-e2e-"));
    const varFile = join(dir, "presets.tfvars.json");
    writeFileSync(varFile, JSON.stringify({ ...LIVENESS, alert_presets: PRESET_NAMES, ignored_principal_arns: IGNORED, iam_events: IAM_EVENTS }));
    deployment = await deploy({ varFile, homeRegion: HOME_REGION });

    const samples = loadSamples();
    const byFile = new Map(samples.map((s) => [s.file, s.record]));
    inputs = [...samples.map((s) => ({ file: s.file, record: s.record })), ...variants(byFile)];

    for (const key of ["iam-events", ...presetRules().map((r) => r.key)]) keyOfRule.set(`${APP}-${ruleSuffix(key)}`, key);
    for (const name of deployment.outputs.event_rule_names) {
      const key = keyOfRule.get(name);
      if (key === undefined) throw new Error(`unexpected rule ${name}`);
      probes.set(key, await attachLabelledProbe(deployment, name));
    }

    const c = deployment.clients(ALERTING_REGION);
    const ids = await sendEvents(c, inputs.map((i) => wrapRecord(i.record)));
    const byId = new Map(ids.map((id, i) => [id, inputs[i]!.file]));
    for (const [key, queue] of probes) {
      const files: string[] = [];
      for (const message of await drainQueue(c.sqs, queue)) {
        const wrapper = JSON.parse(message.Body ?? "null");
        const file = byId.get(wrapper?.event?.id);
        if (file === undefined) throw new Error(`${key} delivered something not sent: ${message.Body?.slice(0, 300)}`);
        files.push(file);
        if (!firstWrapper.has(wrapper.preset)) firstWrapper.set(wrapper.preset, wrapper);
      }
      delivered.set(key, files.sort());
    }
  }, 600_000);

  afterAll(async () => {
    try {
      if (deployment !== undefined) await deployment.destroy();
    } finally {
      await deployment?.close();
      if (deployment !== undefined) console.log(`presets e2e seconds: ${JSON.stringify(deployment.timings)}; inputs ${inputs?.length}`);
    }
  }, 300_000);

  it("deploys one rule per preset part plus iam_events, in us-east-1", () => {
    expect([...probes.keys()].sort()).toEqual(["iam-events", ...presetRules().map((r) => r.key)].sort());
  });

  it.each(["iam-events", ...presetRules().map((r) => r.key)])("%s delivers exactly the inputs it must select", (key) => {
    const expected = inputs.filter((i) => SELECTS[key]!(i.record)).map((i) => i.file).sort();
    expect(delivered.get(key)).toEqual(expected);
  });

  it("the backtest's pattern matcher gives every deployed rule exactly the emulator's verdicts", () => {
    // The event the emulator built from each PutEvents entry: its own account and region around the record.
    const emulated = (record: Json): unknown => {
      const entry = wrapRecord(record);
      return { version: "0", id: "-", "detail-type": entry.DetailType, source: entry.Source, account: ACCOUNT, time: entry.Time?.toISOString(), region: ALERTING_REGION, resources: [], detail: JSON.parse(entry.Detail!) };
    };
    const rules = deployment.resources.filter((r) => r.type === "aws_cloudwatch_event_rule" && keyOfRule.has(String(r.values.name)));
    expect(rules.length).toBe(probes.size);
    for (const rule of rules) {
      const key = keyOfRule.get(String(rule.values.name))!;
      const matcher = compilePattern(String(rule.values.event_pattern));
      expect(inputs.filter((i) => matcher.matches(emulated(i.record))).map((i) => i.file).sort(), key).toEqual(delivered.get(key));
    }
  });

  it("the corpus exercises every preset: each one matches some input", () => {
    for (const preset of PRESET_NAMES) {
      const keys = presetRules().filter((r) => r.preset.name === preset).map((r) => r.key);
      expect(keys.flatMap((k) => delivered.get(k) ?? []).length, preset).toBeGreaterThan(0);
    }
  });

  it("rejects what must not alert: noise and reads, SSO/assumed-role sign-ins without MFA, suppressed principals, root calls invoked by a service", () => {
    const all = new Set([...delivered.values()].flat());
    const reads = inputs.filter((i) => /^(Get|List|Describe|Lookup)/.test(i.record.eventName) && i.record.userIdentity?.type !== "Root" && !i.record.errorCode);
    expect(reads.length).toBeGreaterThan(20);
    for (const r of reads) expect(all.has(r.file), r.file).toBe(false);
    // Suppressed principals: none of their IAM calls reach iam_events or the IAM presets.
    for (const key of ["iam-events", "iam-persistence", "iam-privilege-escalation", "mfa-tampering"]) {
      const files = delivered.get(key) ?? [];
      expect(inputs.filter((i) => files.includes(i.file)).filter((i) => ignored(i.record)), key).toEqual([]);
    }
    expect(inputs.filter((i) => ignored(i.record) && api("iam", IAM_EVENTS)(i.record)).length, "suppression is exercised").toBeGreaterThan(3);
    // No-MFA rule: IAM users only.
    const noMfa = inputs.filter((i) => (delivered.get("console-signin/no-mfa") ?? []).includes(i.file));
    expect(noMfa.length).toBeGreaterThan(0);
    for (const i of noMfa) expect(i.record.userIdentity.type).toBe("IAMUser");
  });

  it("a suppressed principal calling StopLogging on this trail still alerts", () => {
    const file = "variant: StopLogging of this trail by an ignored principal";
    expect(delivered.get("monitoring-tamper/cloudtrail")).toContain(file);
  });

  it("each delivery is labelled with its preset and severity", () => {
    for (const rule of presetRules()) {
      const wrapper = firstWrapper.get(rule.preset.name);
      expect(wrapper, rule.preset.name).toMatchObject({ preset: rule.preset.name, severity: rule.preset.severity });
    }
    expect(firstWrapper.get("iam-events")).toMatchObject({ severity: "high" });
  });

  it("regional events recorded in the home region are forwarded once, even when several presets match; global ones are not forwarded", async () => {
    const home = deployment.clients(HOME_REGION);
    const c = deployment.clients(ALERTING_REGION);
    const rootStop = structuredClone(inputs.find((i) => i.file.startsWith("variant: StopLogging"))!.record);
    rootStop.eventID = "forwarded-root-stop-logging";
    rootStop.awsRegion = HOME_REGION;
    rootStop.userIdentity = structuredClone(inputs.find((i) => i.file === "events/events/PutRule__1.json")!.record.userIdentity); // root
    const createUser = structuredClone(inputs.find((i) => i.file === "events/iam/CreateUser__5.json")!.record);
    createUser.eventID = "not-forwarded-create-user";
    await sendEvents(home, [wrapRecord(rootStop), wrapRecord(createUser)]);
    const eventIds = async (key: string): Promise<string[]> =>
      (await drainQueue(c.sqs, probes.get(key)!)).map((m) => JSON.parse(m.Body ?? "{}").event?.detail?.eventID);
    // Matched by the forwarding rule's root and CloudTrail branches, forwarded once, so one delivery per rule.
    expect(await eventIds("monitoring-tamper/cloudtrail")).toEqual(["forwarded-root-stop-logging"]);
    expect(await eventIds("root-activity")).toEqual(["forwarded-root-stop-logging"]);
    expect(await eventIds("cis-aws-foundations/cloudtrail")).toEqual(["forwarded-root-stop-logging"]);
    expect(await eventIds("iam-persistence")).toEqual([]);
  });

  it("the deployed code turns each preset's delivery into an alert naming the preset and severity", async () => {
    const c = deployment.clients(ALERTING_REGION);
    const code = await deployedCode(deployment);
    const inbox = await createQueue(c.sqs, "presets-alert-inbox");
    const { SubscriptionArn } = await c.sns.send(
      new SubscribeCommand({ TopicArn: deployment.outputs.topic_arn, Protocol: "sqs", Endpoint: inbox.arn, Attributes: { RawMessageDelivery: "false" } }),
    );
    try {
      const wrappers = [...firstWrapper.values()];
      const run = await runHandler({
        codeDir: code.codeDir,
        handler: code.configuration.Handler ?? "",
        environment: { ...(code.configuration.Environment?.Variables ?? {}), ...deployment.moto.env(ALERTING_REGION) },
        events: wrappers,
      });
      expect(run.outcomes.filter((o) => !o.ok), run.logs.slice(-2000)).toEqual([]);
      const alerts = (await drainQueue(c.sqs, inbox)).map((m) => JSON.parse(m.Body ?? "{}"));
      expect(alerts).toHaveLength(wrappers.length);
      for (const w of wrappers) {
        const alert = alerts.find((a) => a.MessageAttributes?.preset?.Value === w.preset);
        expect(alert?.Subject, w.preset).toMatch(new RegExp(`^\\[${String(w.severity).toUpperCase()}\\] `));
        expect(alert?.MessageAttributes?.severity?.Value, w.preset).toBe(w.severity);
        expect(alert?.Message, w.preset).toContain(`preset ${w.preset}`);
      }
    } finally {
      await c.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      await deleteQueue(c.sqs, inbox);
    }
  });

  it("terraform plan after apply shows no changes (input transformers, forwarding role and targets are stable)", async () => {
    const result = await deployment.plan();
    expect(result.code, `${result.stdout.slice(-3000)}\n${result.stderr}`).toBe(0);
  });

  // Last before the destroy: its tests disable a rule and delete the notifier.
  describeLiveness(() => deployment, LIVENESS, HOME_REGION);

  it("terraform destroy removes everything", async () => {
    const result = await deployment.destroy();
    expect(result.code, `${result.stderr}\n${result.stdout.slice(-2000)}`).toBe(0);
    expect((await deployment.terraform.ok(["state", "list"])).trim()).toBe("");
  }, 300_000);
});
