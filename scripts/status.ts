/**
 * `npm run status -- --application-name NAME [--watch-region REGION ...]`
 *
 * One screen that says whether alerts can reach people: each subscription of
 * the alert topic (confirmed or pending), the notifier, each rule (enabled,
 * with a target), the trail (logging?), each alarm's state, the dead-letter
 * queues' depths, and the time of the last heartbeat. Exits 0 when all is
 * healthy, 1 when anything is not, 2 when the deployment could not be read.
 *
 * Credentials, and the endpoint of an emulator (AWS_ENDPOINT_URL), come from
 * the usual AWS SDK sources. us-east-1 (rules, notifier, topic) is always
 * read; the home region (AWS_REGION) and each --watch-region are read for the
 * trail and the forwarding of regional events.
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { parseArgs } from "node:util";
import { collectStatus, EXIT, isHealthy, renderStatus, type RegionClients } from "../tools/status";

function clientsFor(): (region: string) => RegionClients {
  const cache = new Map<string, RegionClients>();
  return (region) => {
    let clients = cache.get(region);
    if (clients === undefined) {
      clients = {
        sns: new SNSClient({ region }),
        events: new EventBridgeClient({ region }),
        cloudWatch: new CloudWatchClient({ region }),
        sqs: new SQSClient({ region }),
        lambda: new LambdaClient({ region }),
        cloudTrail: new CloudTrailClient({ region }),
      };
      cache.set(region, clients);
    }
    return clients;
  };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "application-name": { type: "string", default: "cloudtrail-alerting" },
      "watch-region": { type: "string", multiple: true },
    },
  });
  const home = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const watchRegions = [...(home !== undefined ? [home] : []), ...(values["watch-region"] ?? [])];
  const report = await collectStatus(clientsFor(), { applicationName: values["application-name"] as string, watchRegions });
  process.stdout.write(renderStatus(report));
  return isHealthy(report) ? EXIT.healthy : EXIT.unhealthy;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`status: could not read the deployment: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      process.exit(EXIT.error);
    },
  );
}
