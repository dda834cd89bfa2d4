/**
 * Organization-wide coverage on the moto emulator, with several accounts: an
 * organization with two member accounts in one OU, then the central stack
 * applied with an organization configuration. The service-managed StackSet
 * deploys the member template to both accounts in us-east-1 and the home
 * region (moto 5.2.1 creates the instances' resources in each member account,
 * as hidden stacks that DescribeStacks does not list; AssumeRole into a
 * member's role returns that account's credentials). Member-side events are put
 * on each member's default bus; the central rules must receive exactly the
 * ones an enabled preset matches, carrying the member's account, and the
 * deployed notifier must name that account.
 *
 * Emulator gaps, said here so nobody mistakes them for coverage: moto does not
 * evaluate the bus's organization policy or the roles' permissions;
 * and it delivers events put with PutEvents even when they are read-only,
 * which real EventBridge never does for a rule in the ENABLED state
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html),
 * so read-only records are not sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudFormationClient, ListStackInstancesCommand } from "@aws-sdk/client-cloudformation";
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { presetRules, ruleSuffix } from "../../src/detection";
import { attachLabelledProbe } from "../presets/labelled-probe";
import { createQueue, drainQueue, type Queue } from "../support/aws";
import type { MotoServer } from "../support/moto";
import type { Json } from "../support/synth";
import { requireTools } from "../support/tools";
import { ALERTING_REGION, deploy, deployedCode, loadSamples, runHandler, wrapRecord, type Deployment, type Sample } from "../e2e/harness";

const APP = "org-watch";
const HOME_REGION = "eu-west-1";
const MEMBER_REGIONS = [ALERTING_REGION, HOME_REGION];
const ACCOUNT_NAMES = ["workload-a", "workload-b"];

const missing = requireTools(["terraform", "moto_server"], "the organization emulator suite");

interface MemberAccount {
  readonly id: string;
  readonly name: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

/** A record as EventBridge would deliver it to an ENABLED rule: not read-only (see the header). */
const deliverable = (s: Sample): boolean => s.record.readOnly !== true && !/^(Get|List|Describe)/.test(String(s.record.eventName));
/** Sources the member template forwards whole (src/organization/member-forwarding.ts WHOLE_SOURCES). */
const WHOLE = new Set(["iam.amazonaws.com", "organizations.amazonaws.com", "s3.amazonaws.com", "cloudtrail.amazonaws.com", "config.amazonaws.com"]);

describe.skipIf(missing.length > 0)("organization-wide coverage on the moto emulator", () => {
  let deployment: Deployment;
  let members: MemberAccount[];
  let samples: Sample[];
  const counts = { sent: {} as Record<string, number>, forwarded: {} as Record<string, number>, alerted: {} as Record<string, number> };
  /** rule key -> sample files delivered, for events put directly on the central bus and through members. */
  const direct = new Map<string, Set<string>>();
  const viaMembers = new Map<string, Map<string, Set<string>>>(); // "<account> <region>" -> rule key -> files
  const forwarded = new Map<string, Set<string>>(); // "<account> <region>" -> files that reached the central bus
  const deliveredInputs: Json[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "cta-org-e2e-"));
    const varFile = join(dir, "organization.tfvars.json");
    deployment = await deploy({
      varFile,
      homeRegion: HOME_REGION,
      prepare: async (moto) => {
        const org = await createOrganization(moto);
        members = org.members;
        writeFileSync(
          varFile,
          JSON.stringify({
            application_name: APP,
            organization_id: org.id,
            organization_unit_ids: [org.ou],
            member_regions: MEMBER_REGIONS,
            // Global and regional presets, a dozen rules: enough to show what crosses and what does not,
            // and an apply the emulator finishes in minutes on a busy machine.
            alert_presets: ["root-activity", "monitoring-tamper", "iam-persistence", "console-signin"],
            account_names: Object.fromEntries(members.map((m) => [m.id, m.name])),
          }),
        );
      },
    });
    const stackSet = deployment.resources.find((r) => r.type === "aws_cloudformation_stack_set" && r.values.name === `${APP}-member-forwarding`);
    if (stackSet === undefined) throw new Error("no member StackSet in the state");
    expect(JSON.parse(String(stackSet.values.template_body)).Resources.ForwardingRule.Type).toBe("AWS::Events::Rule");
    samples = loadSamples().filter(deliverable);

    // Central probes: each rule's labelled deliveries, and everything arriving from another account.
    const keyOf = new Map<string, string>([[`${APP}-iam-events`, "iam-events"], ...presetRules().map((r) => [`${APP}-${ruleSuffix(r.key)}`, r.key] as [string, string])]);
    const probes = new Map<string, Queue>();
    for (const name of deployment.outputs.event_rule_names) probes.set(keyOf.get(name) ?? name, await attachLabelledProbe(deployment, name));
    const arrivals = await centralArrivalProbe(deployment, members.map((m) => m.id));
    const c = deployment.clients(ALERTING_REGION);
    const collect = async (into: (key: string, file: string, input: Json) => void, fileOf: Map<string, string>): Promise<void> => {
      for (const [key, queue] of probes) {
        for (const m of await drainQueue(c.sqs, queue)) {
          const input = JSON.parse(m.Body ?? "null");
          const file = fileOf.get(input.event.id);
          if (file !== undefined) into(key, file, input);
        }
      }
    };

    // 1. The same records put directly on the central bus: what each central rule matches.
    const directIds = await put(c.events, samples);
    await collect((key, file) => add(direct, key, file), new Map(directIds.map((id, i) => [id, samples[i]!.file])));

    // 2. The records from each member account and region, where the StackSet put the member template.
    for (const member of members) {
      for (const region of MEMBER_REGIONS) {
        const place = `${member.id} ${region}`;
        const events = new EventBridgeClient({ region, endpoint: deployment.moto.endpoint, credentials: member.credentials });
        // As CloudTrail records it in the member: its own account and region on the record.
        const ids = await put(events, samples, { recipientAccountId: member.id, awsRegion: region });
        counts.sent[member.id] = (counts.sent[member.id] ?? 0) + ids.length;
        const fileOf = new Map(ids.map((id, i) => [id, samples[i]!.file]));
        for (const m of await drainQueue(c.sqs, arrivals)) {
          const event = JSON.parse(m.Body ?? "null");
          const file = fileOf.get(event.id);
          if (file === undefined) continue;
          expect(event.account, file).toBe(member.id);
          add(forwarded, place, file);
          counts.forwarded[member.id] = (counts.forwarded[member.id] ?? 0) + 1;
        }
        const byRule = new Map<string, Set<string>>();
        await collect((key, file, input) => {
          add(byRule, key, file);
          deliveredInputs.push(input);
          counts.alerted[member.id] = (counts.alerted[member.id] ?? 0) + 1;
        }, fileOf);
        viaMembers.set(place, byRule);
      }
    }
  }, 900_000);

  afterAll(async () => {
    if (deployment !== undefined) {
      console.log(
        `\n── organization on moto ──\nrecords sent per member account : ${JSON.stringify(counts.sent)}\nforwarded to the central bus    : ${JSON.stringify(counts.forwarded)}\ncentral rule deliveries (alerts): ${JSON.stringify(counts.alerted)}\n`,
      );
      await deployment.close();
    }
  });

  it("applies the StackSet, its instances in every member region, and the bus permission for the organization", () => {
    const instances = deployment.resources.filter((r) => r.type === "aws_cloudformation_stack_set_instance" && r.address.includes("member_stack_instances"));
    expect(instances.map((r) => r.values.region).sort()).toEqual([...MEMBER_REGIONS].sort());
    const permission = deployment.resources.find((r) => r.type === "aws_cloudwatch_event_permission");
    expect(permission?.values.condition).toEqual([{ key: "aws:PrincipalOrgID", type: "StringEquals", value: expect.stringMatching(/^o-/) }]);
  });

  it("the StackSet puts in each member account and region the forwarding rule, targeting the central bus with a role of that account", async () => {
    for (const member of members) {
      for (const region of MEMBER_REGIONS) {
        const events = new EventBridgeClient({ region, endpoint: deployment.moto.endpoint, credentials: member.credentials });
        const rule = await events.send(new DescribeRuleCommand({ Name: `${APP}-member-forward` }));
        expect(rule.State).toBe("ENABLED");
        const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: `${APP}-member-forward` }));
        expect(Targets).toEqual([
          expect.objectContaining({
            Arn: `arn:aws:events:us-east-1:${deployment.outputs.trail_arn.split(":")[4]}:event-bus/default`,
            RoleArn: expect.stringMatching(new RegExp(`^arn:aws:iam::${member.id}:role/${APP}-member-forward-${region}$`)),
          }),
        ]);
      }
    }
    const cfn = new CloudFormationClient({ region: ALERTING_REGION, endpoint: deployment.moto.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    const { Summaries = [] } = await cfn.send(new ListStackInstancesCommand({ StackSetName: `${APP}-member-forwarding` }));
    expect(Summaries.map((i) => `${i.Account} ${i.Region}`).sort()).toEqual(members.flatMap((m) => MEMBER_REGIONS.map((r) => `${m.id} ${r}`)).sort());
  });

  it("in us-east-1, the central rules receive from each member exactly what they match when the events are the central account's own", () => {
    for (const member of members) {
      const got = viaMembers.get(`${member.id} ${ALERTING_REGION}`)!;
      for (const [key, files] of direct) expect([...(got.get(key) ?? [])].sort(), `${key} via ${member.id}`).toEqual([...files].sort());
      for (const key of got.keys()) expect(direct.has(key), key).toBe(true);
    }
  });

  it("in the home region, only events of regional presets cross, and each central rule gets exactly its matches among them", () => {
    const regional = new Set(presetRules().filter((r) => r.part.scope === "regional").map((r) => r.key));
    for (const member of members) {
      const place = `${member.id} ${HOME_REGION}`;
      const got = viaMembers.get(place)!;
      const crossed = forwarded.get(place) ?? new Set<string>();
      for (const key of regional) {
        expect([...(got.get(key) ?? [])].sort(), `${key} via ${place}`).toEqual([...(direct.get(key) ?? [])].sort());
      }
      // Global-only rules see a home-region event only when a regional branch forwarded it (root, unauthorized calls).
      for (const [key, files] of got) for (const file of files) expect(crossed.has(file), `${key} ${file}`).toBe(true);
    }
  });

  it("forwards no noise: what crosses is what an enabled preset names (by source and event name), or a source forwarded whole", () => {
    const matchedAnywhere = new Set([...direct.values()].flatMap((files) => [...files]));
    const record = new Map(samples.map((s) => [s.file, s.record]));
    // The coarse forwarding names events, not the presets' finer conditions: a successful sign-in with MFA
    // crosses because ConsoleLogin is named, and the central rules then decide. EC2 goes by the wildcards
    // of src/detection/forwarding-pattern.ts.
    const namedKeys = new Set([...matchedAnywhere].map((file) => `${record.get(file).eventSource} ${record.get(file).eventName}`));
    const named = (r: Json): boolean =>
      WHOLE.has(String(r.eventSource)) ||
      namedKeys.has(`${r.eventSource} ${r.eventName}`) ||
      (r.eventSource === "ec2.amazonaws.com" && /SecurityGroup|NetworkAcl|Gateway|Route|Vpc/.test(String(r.eventName)));
    for (const [place, files] of forwarded) {
      for (const file of files) expect(matchedAnywhere.has(file) || named(record.get(file)), `${file} from ${place}`).toBe(true);
    }
    const noise = samples.filter((s) => !matchedAnywhere.has(s.file) && !named(s.record));
    expect(noise.length).toBeGreaterThanOrEqual(10);
    for (const place of forwarded.keys()) for (const s of noise) expect(forwarded.get(place)!.has(s.file), `${s.file} from ${place}`).toBe(false);
  });

  it("the deployed notifier names the member account, by id and name, in each alert", async () => {
    const code = await deployedCode(deployment);
    const sample = deliveredInputs.slice(0, 20);
    expect(sample.length).toBeGreaterThan(0);
    const c = deployment.clients(ALERTING_REGION);
    const inbox = await createQueue(c.sqs, `${APP}-inbox`);
    const { SubscribeCommand } = await import("@aws-sdk/client-sns");
    await c.sns.send(new SubscribeCommand({ TopicArn: deployment.outputs.topic_arn, Protocol: "sqs", Endpoint: inbox.arn }));
    const run = await runHandler({
      codeDir: code.codeDir,
      handler: code.configuration.Handler ?? "",
      environment: { ...(code.configuration.Environment?.Variables ?? {}), ...deployment.moto.env(ALERTING_REGION) },
      events: sample,
    });
    expect(run.outcomes.every((o) => o.ok), run.logs.slice(-2000)).toBe(true);
    const alerts = (await drainQueue(c.sqs, inbox)).map((m) => JSON.parse(m.Body ?? "{}"));
    expect(alerts).toHaveLength(sample.length);
    for (const [i, alert] of alerts.entries()) {
      const account = sample[i]!.event.account as string;
      const member = members.find((m) => m.id === account)!;
      expect(alert.MessageAttributes.account_id.Value).toBe(account);
      expect(alert.Subject).toContain(account);
      expect(alert.Message.split("\n").slice(0, 3).join("\n")).toContain(`${member.name} (${account})`);
    }
  });
});

function add<K>(map: Map<K, Set<string>>, key: K, file: string): void {
  const set = map.get(key) ?? new Set<string>();
  map.set(key, set);
  set.add(file);
}

/** PutEvents of the samples on a client's default bus; returns event ids in order. */
async function put(events: EventBridgeClient, records: Sample[], recordedIn: Json = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += 10) {
    const entries = records.slice(i, i + 10).map((s) => wrapRecord({ ...s.record, ...recordedIn }));
    const out = await events.send(new PutEventsCommand({ Entries: entries }));
    for (const entry of out.Entries ?? []) {
      if (entry.EventId === undefined) throw new Error(`PutEvents rejected an entry: ${JSON.stringify(entry)}`);
      ids.push(entry.EventId);
    }
  }
  return ids;
}

/** The organization, one OU and two member accounts in it, with credentials of each (AssumeRole into the member). */
async function createOrganization(moto: MotoServer): Promise<{ id: string; ou: string; members: MemberAccount[] }> {
  const central = { region: ALERTING_REGION, endpoint: moto.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const orgs = new OrganizationsClient(central);
  const { Organization } = await orgs.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const { Roots = [] } = await orgs.send(new ListRootsCommand({}));
  const { OrganizationalUnit } = await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: Roots[0]!.Id!, Name: "workloads" }));
  const sts = new STSClient(central);
  const members: MemberAccount[] = [];
  for (const name of ACCOUNT_NAMES) {
    const { CreateAccountStatus } = await orgs.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    const id = CreateAccountStatus!.AccountId!;
    await orgs.send(new MoveAccountCommand({ AccountId: id, SourceParentId: Roots[0]!.Id!, DestinationParentId: OrganizationalUnit!.Id! }));
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`, RoleSessionName: "org-e2e" }),
    );
    members.push({
      id,
      name,
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! },
    });
  }
  return { id: Organization!.Id!, ou: OrganizationalUnit!.Id!, members };
}

/** A rule on the central bus that copies every event from the member accounts to a queue: what crossed. */
async function centralArrivalProbe(deployment: Deployment, accounts: string[]): Promise<Queue> {
  const c = deployment.clients(ALERTING_REGION);
  const queue = await createQueue(c.sqs, `${APP}-arrivals`);
  await c.events.send(new PutRuleCommand({ Name: `${APP}-probe-arrivals`, EventPattern: JSON.stringify({ account: accounts }) }));
  await c.events.send(new PutTargetsCommand({ Rule: `${APP}-probe-arrivals`, Targets: [{ Id: "arrivals", Arn: queue.arn }] }));
  return queue;
}
