/**
 * A loopback HTTP server standing in for the SNS endpoint, so tests exercise
 * the real SDK (serialiser, retry strategy, HTTP handler and its timeouts)
 * and read back exactly what went over the wire. `answer` replies to every
 * Publish like SNS; `hang` accepts the connection, reads the request and
 * never answers.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSnsClient, SNS_TIMEOUTS, type SnsTimeouts } from "../../src/sns-client.js";

export interface SnsServer {
  readonly endpoint: string;
  /** Each request body, parsed (`Message`, `Subject`, `MessageAttributes.entry.1.Name`, ...). */
  readonly requests: URLSearchParams[];
  client(timeouts?: SnsTimeouts): SNSClient;
  close(): Promise<void>;
}

const publishResponse = (id: number): string =>
  `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>message-${id}</MessageId>` +
  `</PublishResult><ResponseMetadata><RequestId>request-${id}</RequestId></ResponseMetadata></PublishResponse>`;

export async function startSnsServer(mode: "answer" | "hang"): Promise<SnsServer> {
  const requests: URLSearchParams[] = [];
  const clients: SNSClient[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      requests.push(new URLSearchParams(body));
      if (mode === "hang") return;
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(publishResponse(requests.length));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    client: (timeouts = SNS_TIMEOUTS) => {
      const client = createSnsClient(timeouts, {
        endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
