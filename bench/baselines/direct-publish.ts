/**
 * The floor of real-time delivery (issue 14's "direct publish"): the least a gateway can do between
 * a bank's signed webhook and a graphql-ws subscriber, with NO event log. Built from the gateway's
 * own modules where there is one: the bank's webhook format and signature headers (the provider
 * registry), the signature and freshness check (`verifyWebhookSignature`, the dev webhook secret the
 * mocks sign with), the translation to GraphQL objects (`toTransaction`: the same global IDs), the
 * pub/sub (`createPubSub`: in-process, or Redis as N instances use it), the event stream shape
 * (`mapEvents`) and the WebSocket server (graphql-ws over ws, as the gateway runs it).
 *
 *   POST /webhooks/<institution>   (the bank's signed delivery) → 200 { accepted, duplicates: 0 }, then publishes each event
 *   ws://…/graphql                 subscription { transactionPosted { … } }: every TRANSACTION_POSTED of every bank
 *
 * What it leaves out is what the gateway must do and a floor need not: authenticate the socket,
 * check delivery numbers, de-duplicate, route the event to the links that see the account, log it
 * durably before answering, read it back, decide consent per event and write the access log.
 * The answer goes before the publish, as the gateway did before the log (publish after the answer).
 */
import { buildSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import type { BankEvent } from "../../src/domain/bank-event.js";
import type { Logger } from "../../src/observability/logger.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { mapEvents } from "../../src/realtime/map-events.js";
import { createPubSub } from "../../src/realtime/pubsub/index.js";
import { toTransaction } from "../../src/schema/mapping/to-graphql.js";
import { devWebhookSecret } from "../../src/webhooks/webhook-secrets.js";
import { verifyWebhookSignature } from "../../src/webhooks/webhook-signature.js";
import { typeDefs as plainTypeDefs } from "./plain-schema.js";

/** A running direct-publish server. */
export interface DirectPublishServer {
  /** Where banks send webhooks: `<webhookUrl>/<institution>`. */
  webhookUrl: string;
  /** graphql-ws endpoint. */
  wsUrl: string;
  close(): Promise<void>;
}

/** Options for {@link startDirectPublish}. */
export interface DirectPublishOptions {
  /** Publish through this Redis (what N instances do) instead of in-process. */
  redisUrl?: string;
  logger: Logger;
}

/** Every bank's events, on one topic (under a channel prefix of its own, so they never mix with a gateway's hints in a shared Redis). */
const TOPIC = "bank-events";

/** What goes over pub/sub: the event and the bank it came from. */
interface Published {
  institutionId: string;
  event: BankEvent;
}

export async function startDirectPublish(options: DirectPublishOptions): Promise<DirectPublishServer> {
  const pubsub = createPubSub<Published>({ redisUrl: options.redisUrl, channelPrefix: `bankgraph-bench:${randomUUID()}:`, logger: options.logger });
  // Every posted transaction of every bank reaches every subscriber, through one made-up link per bank.
  const links = new Map(PROVIDER_MODULES.map((m) => [m.id, { id: randomUUID(), institutionId: m.id }]));
  // graphql-js's own SDL reader (no schema tooling that could bring a second copy of graphql along).
  const schema = buildSchema(`${plainTypeDefs}\ntype Subscription { transactionPosted: Transaction! }`);
  const field = schema.getSubscriptionType()!.getFields()["transactionPosted"]!;
  field.subscribe = async () =>
    mapEvents(await pubsub.subscribe(TOPIC), async ({ institutionId, event }) =>
      event.kind === "TRANSACTION_POSTED" ? { transactionPosted: toTransaction(links.get(institutionId)!, event.transaction) } : undefined,
    );

  const server = createServer((req, res) => {
    void readBody(req)
      .then(async (rawBody) => {
        const institutionId = /^\/webhooks\/([a-z_]+)$/.exec(req.url ?? "")?.[1];
        const hooks = PROVIDER_MODULES.find((m) => m.id === institutionId)?.webhooks;
        if (req.method !== "POST" || !institutionId || !hooks) return void res.writeHead(404).end();
        const header = (name: string) => req.headers[name.toLowerCase()] as string | undefined;
        const problem = verifyWebhookSignature({
          secret: devWebhookSecret(institutionId),
          timestamp: header(hooks.timestampHeader),
          signature: header(hooks.signatureHeader),
          rawBody,
          now: new Date(),
        });
        if (problem) return void res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: problem }));
        let events: BankEvent[];
        try {
          events = hooks.parse(JSON.parse(rawBody.toString("utf8")));
        } catch {
          return void res.writeHead(400).end();
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ accepted: events.length, duplicates: 0 }));
        for (const event of events) await pubsub.publish(TOPIC, { institutionId, event });
      })
      .catch((error: unknown) => options.logger.error({ err: error }, "direct publish failed"));
  });
  const wss = new WebSocketServer({ server, path: "/graphql" });
  const ws = useServer({ schema }, wss);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    webhookUrl: `http://127.0.0.1:${port}/webhooks`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    async close() {
      await ws.dispose();
      await pubsub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
